"""Database backends: Django's own, with what this project needs of them on top."""
