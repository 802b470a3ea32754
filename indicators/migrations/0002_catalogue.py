"""Ship the standard POC indicator catalogue.

Fifteen indicators are derived from records, one for each derivation the rollup engine knows;
the rest are logged by hand as observations. Each is linked to a paragraph-10 key element (by
code) and a POC tier (by number) where one applies: the threat register, the activity count and
the A4P progress count span every tier, and the last spans every element. Rows are keyed by
indicator code, so running the migration again updates them in place. Choice values are written
out literally so that this migration keeps working when the choices evolve.
"""

from django.db import migrations

DERIVED = [
    {
        "code": "POC-01",
        "name": "Civilians killed",
        "definition": (
            "Civilians killed in incidents that occurred in the period, by women, men, girls, "
            "boys and unknown. Counts deaths recorded on incident records dated in the period; "
            "excludes incidents assessed as discredited, members of armed forces or groups "
            "killed in hostilities, and deaths from accidents or disease. Period: calendar "
            "month, by date of occurrence."
        ),
        "unit": "people",
        "method": "sum",
        "polarity": "lower",
        "disaggregation": "sex_age",
        "frequency": "monthly",
        "key_element": "all-necessary-means",
        "tier": 2,
        "responsible_component": "human_rights",
        "derivation": "civilians_killed",
        "data_source": (
            "Incident records logged by the JOC; casualty figures verified by the Human Rights "
            "component."
        ),
    },
    {
        "code": "POC-02",
        "name": "Civilians injured",
        "definition": (
            "Civilians wounded or maimed in incidents that occurred in the period, by women, "
            "men, girls, boys and unknown. Excludes incidents assessed as discredited, the "
            "killed (counted in POC-01) and injuries from accidents. Period: calendar month, by "
            "date of occurrence."
        ),
        "unit": "people",
        "method": "sum",
        "polarity": "lower",
        "disaggregation": "sex_age",
        "frequency": "monthly",
        "key_element": "all-necessary-means",
        "tier": 2,
        "responsible_component": "human_rights",
        "derivation": "civilians_injured",
        "data_source": (
            "Incident records logged by the JOC; casualty figures verified by the Human Rights "
            "component."
        ),
    },
    {
        "code": "POC-03",
        "name": "Civilians abducted",
        "definition": (
            "Civilians taken and held against their will by a perpetrator in incidents that "
            "occurred in the period, by women, men, girls, boys and unknown. Excludes arrests "
            "by authorities (recorded as arbitrary detention where unlawful) and incidents "
            "assessed as discredited. Period: calendar month, by date of occurrence."
        ),
        "unit": "people",
        "method": "sum",
        "polarity": "lower",
        "disaggregation": "sex_age",
        "frequency": "monthly",
        "key_element": "women-and-children",
        "tier": 2,
        "responsible_component": "human_rights",
        "derivation": "civilians_abducted",
        "data_source": "Incident records logged by the JOC and verified by Human Rights.",
    },
    {
        "code": "POC-04",
        "name": "Survivors of conflict-related sexual violence",
        "definition": (
            "Survivors of conflict-related sexual violence recorded on incidents that occurred "
            "in the period, by women, men, girls, boys and unknown. Counts survivors, not acts: "
            "a survivor counts once per incident. Excludes incidents assessed as discredited "
            "and sexual violence with no link to the conflict. Restricted: the figure leaves the "
            "mission only as totals. Period: calendar month, by date of occurrence."
        ),
        "unit": "people",
        "method": "sum",
        "polarity": "lower",
        "disaggregation": "sex_age",
        "frequency": "monthly",
        "key_element": "women-and-children",
        "tier": 2,
        "responsible_component": "women_protection",
        "derivation": "sv_survivors",
        "data_source": (
            "Restricted incident records entered with survivors' consent under the monitoring "
            "arrangements coordinated by Women Protection Advisers."
        ),
    },
    {
        "code": "POC-05",
        "name": "Protection incidents recorded",
        "definition": (
            "Incidents in which civilians were harmed or directly threatened that occurred in "
            "the period, all types. One incident counts once whatever the number of victims or "
            "violations it carries. Excludes incidents assessed as discredited. Period: "
            "calendar month, by date of occurrence."
        ),
        "unit": "count",
        "method": "sum",
        "polarity": "lower",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "tailored-approaches",
        "tier": 2,
        "responsible_component": "joc",
        "derivation": "incidents",
        "data_source": "Incident records logged by the JOC from patrols, partners and sections.",
    },
    {
        "code": "POC-06",
        "name": "Incidents attributed to host-state security forces",
        "definition": (
            "Incidents that occurred in the period whose perpetrator category is host-state "
            "security forces. Each one raises human rights due diligence questions where the "
            "mission supports those forces. Excludes incidents with an unknown perpetrator and "
            "incidents assessed as discredited. Period: calendar month, by date of occurrence."
        ),
        "unit": "count",
        "method": "sum",
        "polarity": "lower",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "tailored-approaches",
        "tier": 3,
        "responsible_component": "human_rights",
        "derivation": "incidents_host_state",
        "data_source": "Incident records; attribution verified by the Human Rights component.",
    },
    {
        "code": "POC-07",
        "name": "Grave violations against children",
        "definition": (
            "Grave violations against children (victims under 18) recorded on incidents that "
            "occurred in the period. An incident carrying several violations counts each of "
            "them once: an abduction followed by recruitment counts two. Excludes incidents "
            "assessed as discredited. Restricted: the figure leaves the mission only as totals. "
            "Period: calendar month, by date of occurrence."
        ),
        "unit": "count",
        "method": "sum",
        "polarity": "lower",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "women-and-children",
        "tier": 3,
        "responsible_component": "child_protection",
        "derivation": "grave_violations",
        "data_source": (
            "Restricted incident records; violations documented by Child Protection under the "
            "monitoring and reporting mechanism."
        ),
    },
    {
        "code": "POC-08",
        "name": "People displaced by violence",
        "definition": (
            "People newly displaced by incidents that occurred in the period, as estimated on "
            "each incident record. Excludes displacement caused by natural hazards, people "
            "already displaced before the incident, and incidents assessed as discredited. The "
            "estimates are not disaggregated. Period: calendar month, by date of occurrence."
        ),
        "unit": "people",
        "method": "sum",
        "polarity": "lower",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "tailored-approaches",
        "tier": 3,
        "responsible_component": "joc",
        "derivation": "people_displaced",
        "data_source": (
            "Incident records; displacement estimates from humanitarian partners where the "
            "mission cannot count itself."
        ),
    },
    {
        "code": "POC-09",
        "name": "Early-warning alerts received",
        "definition": (
            "Early-warning alerts received in the period from every source: community alert "
            "networks, local protection committees, community liaison assistants, patrols, "
            "partners and community members. An alert relayed through several channels is "
            "logged, and counted, once. Period: calendar month, by time of receipt."
        ),
        "unit": "count",
        "method": "sum",
        "polarity": "neutral",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "strategic-communications",
        "tier": 1,
        "responsible_component": "joc",
        "derivation": "alerts_received",
        "data_source": "Alert log kept by the JOC.",
    },
    {
        "code": "POC-10",
        "name": "Alerts answered within the mission standard",
        "definition": (
            "Share of alerts received in the period whose response arrived on the ground within "
            "the mission's alert-response standard, measured from receipt to arrival. Alerts "
            "closed as false alarms are excluded; an alert whose response never arrived counts "
            "as outside the standard. Period: calendar month, by time of receipt."
        ),
        "unit": "percentage",
        "method": "share_within_standard",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "all-necessary-means",
        "tier": 2,
        "responsible_component": "joc",
        "derivation": "alerts_within_standard",
        "data_source": "Alert log kept by the JOC; standard set per mission.",
    },
    {
        "code": "POC-11",
        "name": "Median alert response time",
        "definition": (
            "Median number of hours from receipt of an alert to the arrival of the response on "
            "the ground, over alerts received in the period whose response arrived. Alerts "
            "without an arrival are excluded here (POC-10 counts them as missed). Period: "
            "calendar month, by time of receipt."
        ),
        "unit": "hours",
        "method": "median",
        "polarity": "lower",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "all-necessary-means",
        "tier": 2,
        "responsible_component": "joc",
        "derivation": "alert_median_response",
        "data_source": "Alert log kept by the JOC.",
    },
    {
        "code": "POC-12",
        "name": "Open high-risk threats",
        "definition": (
            "Threats in the register at the end of the period that are still open (emerging, "
            "active or contained) and whose risk score falls in the mission's high or very high "
            "band. Excludes resolved threats. A stock at period end, not a sum over the period."
        ),
        "unit": "count",
        "method": "latest",
        "polarity": "lower",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "tailored-approaches",
        "tier": None,
        "responsible_component": "jmac",
        "derivation": "high_risk_threats",
        "data_source": "Threat register kept by the POC unit with JMAC threat assessments.",
    },
    {
        "code": "POC-13",
        "name": "Protection activities conducted",
        "definition": (
            "Protection activities that started in the period, all types and tiers: patrols, "
            "community engagement, dialogue with armed groups or authorities, communication "
            "campaigns, violence reduction projects and training. Excludes activities planned "
            "but not carried out. Period: calendar month, by start date."
        ),
        "unit": "count",
        "method": "sum",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "tailored-approaches",
        "tier": None,
        "responsible_component": "poc_unit",
        "derivation": "activities",
        "data_source": "Activity records logged by the sections, military and police.",
    },
    {
        "code": "POC-14",
        "name": "People reached by protection activities",
        "definition": (
            "People reached by protection activities that started in the period, by women, "
            "men, girls, boys and unknown, as recorded on each activity. A person reached by "
            "several activities counts once per activity. Excludes audiences of broadcasts. "
            "Period: calendar month, by start date."
        ),
        "unit": "people",
        "method": "sum",
        "polarity": "higher",
        "disaggregation": "sex_age",
        "frequency": "monthly",
        "key_element": "strategic-communications",
        "tier": 1,
        "responsible_component": "civil_affairs",
        "derivation": "people_reached",
        "data_source": "Activity records logged by the sections, military and police.",
    },
    {
        "code": "POC-15",
        "name": "A4P key elements on track",
        "definition": (
            "Paragraph-10 key elements whose implementation status for the mission is on track "
            "or achieved at the end of the period. Excludes elements not started, in progress "
            "or delayed. A stock at period end, out of four."
        ),
        "unit": "count",
        "method": "latest",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "quarterly",
        "key_element": None,
        "tier": None,
        "responsible_component": "poc_unit",
        "derivation": "a4p_elements_on_track",
        "data_source": "Commitment implementation records reviewed by the POC unit.",
    },
]

MANUAL = [
    {
        "code": "POC-16",
        "name": "Local protection committees functional",
        "definition": (
            "Share of local protection committees set up with mission support that are "
            "functional at the end of the quarter: met at least once in the quarter, hold a "
            "current protection plan and have a working channel to the mission. Excludes "
            "committees set up by partners without mission support."
        ),
        "unit": "percentage",
        "method": "ratio",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "quarterly",
        "key_element": "strategic-communications",
        "tier": 1,
        "responsible_component": "civil_affairs",
        "numerator_label": "Functional local protection committees",
        "denominator_label": "Local protection committees set up with mission support",
        "data_source": "Civil Affairs committee follow-up reports.",
    },
    {
        "code": "POC-17",
        "name": "Community alert network focal points active",
        "definition": (
            "Community alert network focal points who made or answered at least one contact "
            "with the mission in the month (an alert or a routine check call), counted at month "
            "end. Excludes focal points who are registered but could not be reached all month."
        ),
        "unit": "count",
        "method": "latest",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "strategic-communications",
        "tier": 1,
        "responsible_component": "civil_affairs",
        "data_source": "Civil Affairs roster of focal points, checked against JOC call logs.",
    },
    {
        "code": "POC-18",
        "name": "Survey respondents who feel safe",
        "definition": (
            "Share of respondents to the mission's perception survey who say they feel safe or "
            "very safe in their locality, by women, men, girls and boys. Counts completed "
            "interviews of the survey round held in the year; excludes refusals and 'do not "
            "know' answers."
        ),
        "unit": "percentage",
        "method": "ratio",
        "polarity": "higher",
        "disaggregation": "sex_age",
        "frequency": "annual",
        "key_element": "tailored-approaches",
        "tier": 3,
        "responsible_component": "poc_unit",
        "numerator_label": "Respondents who feel safe or very safe",
        "denominator_label": "Respondents who answered the safety question",
        "data_source": (
            "Perception survey in sampled localities, run by the mission or a contracted partner."
        ),
    },
    {
        "code": "POC-19",
        "name": "Joint protection team missions",
        "definition": (
            "Joint protection team missions completed in the period, in which civilian, "
            "military and police staff together assess threats with a community and agree "
            "protection measures. Excludes missions planned but cancelled and visits by a "
            "single component."
        ),
        "unit": "count",
        "method": "sum",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "weekly",
        "key_element": "tailored-approaches",
        "tier": 1,
        "responsible_component": "civil_affairs",
        "data_source": "Joint protection team mission reports compiled by Civil Affairs.",
    },
    {
        "code": "POC-20",
        "name": "Women in local protection committees",
        "definition": (
            "Share of the members of mission-supported local protection committees who are "
            "women, at the end of the quarter. Excludes committees set up by partners without "
            "mission support."
        ),
        "unit": "percentage",
        "method": "ratio",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "quarterly",
        "key_element": "women-and-children",
        "tier": 1,
        "responsible_component": "women_protection",
        "numerator_label": "Women members of local protection committees",
        "denominator_label": "Members of local protection committees",
        "data_source": "Committee membership lists kept by Civil Affairs.",
    },
    {
        "code": "POC-21",
        "name": "Children separated from armed groups",
        "definition": (
            "Children (under 18) separated or released from armed forces or groups and handed "
            "over to child protection actors in the period, by girls and boys. Excludes adults "
            "who were recruited as children and children who left but were not received by "
            "child protection actors."
        ),
        "unit": "people",
        "method": "sum",
        "polarity": "higher",
        "disaggregation": "sex_age",
        "frequency": "monthly",
        "key_element": "women-and-children",
        "tier": 3,
        "responsible_component": "child_protection",
        "data_source": "Child Protection hand-over records, shared with child protection partners.",
    },
    {
        "code": "POC-22",
        "name": "Host-state security personnel trained in IHL and due diligence",
        "definition": (
            "Host-state military and police personnel who completed mission-delivered training "
            "on international humanitarian law, human rights and the human rights due diligence "
            "policy in the quarter, by women and men. Counts people who finished the course; "
            "excludes partial attendance and refresher sessions for people already counted that "
            "year."
        ),
        "unit": "people",
        "method": "sum",
        "polarity": "higher",
        "disaggregation": "sex_age",
        "frequency": "quarterly",
        "key_element": "all-necessary-means",
        "tier": 3,
        "responsible_component": "ssr",
        "data_source": "Training attendance records from Security Sector Reform and Human Rights.",
    },
    {
        "code": "POC-23",
        "name": "Due diligence risk assessments completed before support",
        "definition": (
            "Share of decisions in the quarter to support non-UN security forces (new support or "
            "a significant change in support) that were preceded by a completed human rights "
            "due diligence risk assessment. Excludes renewals covered by an assessment that is "
            "still current."
        ),
        "unit": "percentage",
        "method": "ratio",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "quarterly",
        "key_element": "all-necessary-means",
        "tier": 3,
        "responsible_component": "human_rights",
        "numerator_label": "Support decisions preceded by a completed risk assessment",
        "denominator_label": "Decisions to support non-UN security forces",
        "data_source": "Human rights due diligence register kept by the Human Rights component.",
    },
    {
        "code": "POC-24",
        "name": "Rapid deployments to hotspots",
        "definition": (
            "Deployments of military or police units (rapid reaction forces, temporary operating "
            "bases, standing combat deployments) launched in the period to an area under "
            "imminent threat, in answer to an alert or a threat assessment. Excludes routine "
            "patrols and scheduled rotations."
        ),
        "unit": "count",
        "method": "sum",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "weekly",
        "key_element": "all-necessary-means",
        "tier": 2,
        "responsible_component": "military",
        "data_source": "Force and police operations orders, reported through the JOC.",
    },
    {
        "code": "POC-25",
        "name": "Radio programming on protection",
        "definition": (
            "Hours of programmes on protection of civilians broadcast in the period on mission "
            "or partner radio: the mandate, alert hotlines, rights, services for survivors. A "
            "repeat counts each time it is broadcast; excludes news bulletins and music."
        ),
        "unit": "hours",
        "method": "sum",
        "polarity": "higher",
        "disaggregation": "none",
        "frequency": "monthly",
        "key_element": "strategic-communications",
        "tier": 1,
        "responsible_component": "strategic_communications",
        "data_source": "Broadcast logs from Public Information / Strategic Communications.",
    },
    {
        "code": "POC-26",
        "name": "Community violence reduction participants",
        "definition": (
            "People who took part in community violence reduction projects running in the "
            "quarter, by women, men, girls, boys and unknown, counted once per project. Excludes "
            "indirect beneficiaries such as the wider community."
        ),
        "unit": "people",
        "method": "sum",
        "polarity": "higher",
        "disaggregation": "sex_age",
        "frequency": "quarterly",
        "key_element": "tailored-approaches",
        "tier": 3,
        "responsible_component": "ddr_cvr",
        "data_source": "Project participant lists from DDR / CVR and implementing partners.",
    },
    {
        "code": "POC-27",
        "name": "Displaced people sheltered in protection-of-civilians sites",
        "definition": (
            "Internally displaced people living in protection-of-civilians sites under mission "
            "protection at the end of the month, by women, men, girls, boys and unknown. "
            "Excludes people in camps or host communities outside the sites. A stock at month "
            "end, not a sum."
        ),
        "unit": "people",
        "method": "latest",
        "polarity": "neutral",
        "disaggregation": "sex_age",
        "frequency": "monthly",
        "key_element": "all-necessary-means",
        "tier": 2,
        "responsible_component": "poc_unit",
        "data_source": (
            "Headcounts and registration by humanitarian site management partners, shared "
            "with the mission."
        ),
    },
]


def load_catalogue(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    key_elements = {e.code: e for e in apps.get_model("commitments", "KeyElement").objects.all()}
    tiers = {t.number: t for t in apps.get_model("commitments", "Tier").objects.all()}
    for source, rows in (("derived", DERIVED), ("manual", MANUAL)):
        for row in rows:
            fields = dict(row)
            code = fields.pop("code")
            element, tier = fields.pop("key_element"), fields.pop("tier")
            fields["key_element"] = key_elements[element] if element else None
            fields["tier"] = tiers[tier] if tier else None
            fields["source"] = source
            fields.setdefault("derivation", "")
            Indicator.objects.update_or_create(code=code, defaults=fields)


def unload_catalogue(apps, schema_editor):
    # Indicators a mission has observations or targets for stop the reversal, as they should.
    Indicator = apps.get_model("indicators", "Indicator")
    delete_rows(schema_editor, Indicator, "code", [row["code"] for row in DERIVED + MANUAL])


def delete_rows(schema_editor, model, field, values):
    """Delete the rows of `model` whose `field` is in `values`, in plain SQL.

    Not QuerySet.delete(): on a rollback across several migrations the historical models can
    point at stale classes or at tables already dropped, and the deletion collector trips over
    them. The database's own foreign keys still refuse to delete a row something refers to.
    """
    table = schema_editor.quote_name(model._meta.db_table)
    column = schema_editor.quote_name(model._meta.get_field(field).column)
    placeholders = ", ".join(["%s"] * len(values))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({placeholders})", list(values))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("commitments", "0003_reference_data"),
    ]

    operations = [
        migrations.RunPython(load_catalogue, unload_catalogue),
    ]
