"""The browser app's pages, one module per part of the product."""
