"""Data tables and text building blocks of the fictional demo county "Landkreis Lahnfeld".

Kept apart from the management commands so that they stay readable. Everything here is
invented: towns, addresses, people and organisations' domains (reserved `.example` TLD).
Phone numbers come from the block 069 90009-000 … 999 that the Bundesnetzagentur keeps free
for film and television, so no real line is ever dialled from the demo.

The text helpers at the end combine hand-written sentences per topic into offer texts, driven
by a `random.Random` the caller seeds, so the same seed always gives the same texts.
"""

import datetime as dt
import html
import math
import unicodedata
import uuid

#: Namespace of every demo `hsds_id`: uuid5(NAMESPACE, "<kind>:<natural key>").
NAMESPACE = uuid.UUID("6f1c1f7e-3c55-4d0e-9a51-4c6f7473652d")


def demo_uuid(*parts):
    """A stable UUID for a demo object, so reruns find what earlier runs created."""
    return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts))


def phone(extension):
    return f"069 90009-{extension:03d}"


COUNTY = {
    "slug": "landkreis-lahnfeld",
    "name": "Landkreis Lahnfeld",
    "latitude": 50.5584,
    "longitude": 8.5012,
}

#: slug, name, postcodes, centroid latitude, longitude, address of the town hall
TOWNS = [
    ("lahnfeld", "Lahnfeld", "35578, 35579, 35580", 50.5561, 8.5043, "Marktplatz 1"),
    ("dillhausen", "Dillhausen", "35630", 50.6311, 8.3512, "Schlossplatz 4"),
    ("wettertal", "Wettertal", "35510", 50.4528, 8.6617, "Hauptstraße 18"),
    ("ohmbach", "Ohmbach", "35583", 50.6012, 8.6235, "Kirchstraße 2"),
    ("hohenwald", "Hohenwald", "35644", 50.6794, 8.4436, "Waldstraße 10"),
    ("bergrode", "Bergrode", "35614", 50.5207, 8.2861, "Am Rathaus 3"),
    ("eichelsdorf", "Eichelsdorf", "35415", 50.4916, 8.7402, "Rathausstraße 5"),
    ("lindenau", "Lindenau an der Lahn", "35581", 50.5712, 8.4021, "Lahnstraße 22"),
    ("rosbach-am-wald", "Rosbach am Wald", "35619", 50.4233, 8.3317, "Bahnhofstraße 7"),
    ("steinfurth", "Steinfurth", "35325", 50.6608, 8.7514, "Obergasse 1"),
    ("muehlbach", "Mühlbach", "35428", 50.5044, 8.5561, "Mühlweg 2"),
    ("talheim", "Talheim", "35606", 50.5839, 8.2402, "Dorfplatz 1"),
    ("birkenhain", "Birkenhain", "35647", 50.4412, 8.4725, "Birkenallee 12"),
    ("wiesental", "Wiesental", "35440", 50.6233, 8.5547, "Wiesenweg 6"),
    ("altenbrueck", "Altenbrück", "35625", 50.5318, 8.7806, "Brückenstraße 9"),
    ("schoenborn", "Schönborn", "35649", 50.6927, 8.2833, "Brunnenstraße 3"),
    ("huettenrode", "Hüttenrode", "35633", 50.4736, 8.2217, "Hüttenweg 15"),
    ("neuweiler", "Neuweiler", "35586", 50.6421, 8.6712, "Neue Mitte 1"),
]
TOWN = {t[0]: t for t in TOWNS}
BIGGEST_TOWN = "lahnfeld"

#: Social areas (Sozialräume) of the county town: slug, name, postcodes, latitude, longitude
SOCIAL_AREAS = [
    ("lahnfeld-innenstadt", "Lahnfeld Innenstadt", "35578", 50.5561, 8.5043),
    ("lahnfeld-nord", "Lahnfeld Nord – Am Rosenhang", "35579", 50.5689, 8.5014),
    ("lahnfeld-west", "Lahnfeld West – Lahnwiesen", "35578", 50.5532, 8.4871),
    ("lahnfeld-sued", "Lahnfeld Süd – Bahnhofsviertel", "35580", 50.5437, 8.5102),
]

#: code, German name, native name, written right to left
LANGUAGES = [
    ("de", "Deutsch", "Deutsch", False),
    ("en", "Englisch", "English", False),
    ("tr", "Türkisch", "Türkçe", False),
    ("ar", "Arabisch", "العربية", True),
    ("ru", "Russisch", "Русский", False),
    ("uk", "Ukrainisch", "Українська", False),
    ("fa", "Persisch (Farsi)", "فارسی", True),
    ("pl", "Polnisch", "Polski", False),
    ("ro", "Rumänisch", "Română", False),
    ("fr", "Französisch", "Français", False),
    ("ku", "Kurdisch", "Kurdî", False),
    ("ti", "Tigrinya", "ትግርኛ", False),
    ("sq", "Albanisch", "Shqip", False),
    ("gsg", "Deutsche Gebärdensprache", "DGS", False),
]

#: slug, name, parent slug, description
TOPICS = [
    ("arbeit-ausbildung", "Arbeit und Ausbildung", None, "Arbeit finden, Beruf wählen, lernen."),
    ("arbeitssuche", "Arbeitssuche und Bewerbung", "arbeit-ausbildung", ""),
    ("ausbildung-beruf", "Ausbildung und Berufswahl", "arbeit-ausbildung", ""),
    ("weiterbildung", "Weiterbildung und Umschulung", "arbeit-ausbildung", ""),
    ("existenzsicherung", "Grundsicherung und Bürgergeld", None, "Geld zum Leben vom Staat."),
    ("buergergeld", "Bürgergeld", "existenzsicherung", "Früher Arbeitslosengeld II, Hartz IV."),
    (
        "grundsicherung-alter",
        "Grundsicherung im Alter und bei Erwerbsminderung",
        "existenzsicherung",
        "",
    ),
    ("bildung-teilhabe", "Bildung und Teilhabe", "existenzsicherung", ""),
    ("schulden", "Schulden und Geldprobleme", None, ""),
    ("insolvenz", "Privatinsolvenz", "schulden", ""),
    ("pflege", "Pflege", None, "Pflegebedürftigkeit, Pflegegrad, Hilfe zu Hause."),
    ("pflegeberatung", "Pflegeberatung", "pflege", ""),
    ("pflegende-angehoerige", "Hilfe für pflegende Angehörige", "pflege", ""),
    ("ambulante-pflege", "Ambulante Pflege und Hilfen zu Hause", "pflege", ""),
    ("migration", "Migration und Integration", None, ""),
    ("deutsch-lernen", "Deutsch lernen", "migration", ""),
    ("aufenthalt-asyl", "Aufenthalt und Asyl", "migration", ""),
    ("kinderbetreuung", "Kinderbetreuung", None, "Kita, Kindertagespflege, Betreuung."),
    ("familie", "Familie", None, ""),
    ("schwangerschaft", "Schwangerschaft und Geburt", "familie", ""),
    ("erziehung", "Erziehung und Familienberatung", "familie", ""),
    ("jugend", "Jugend", None, ""),
    ("wohnen", "Wohnen", None, ""),
    ("wohngeld", "Wohngeld", "wohnen", ""),
    ("wohnungsnotfall", "Wohnungslosigkeit und drohender Wohnungsverlust", "wohnen", ""),
    ("sucht", "Sucht", None, "Alkohol, Drogen, Medikamente, Glücksspiel."),
    ("behinderung", "Behinderung und Teilhabe", None, ""),
    ("rente", "Rente", None, ""),
    ("alter", "Leben im Alter", None, ""),
    ("gesundheit", "Gesundheit", None, ""),
    ("psychische-gesundheit", "Psychische Gesundheit", "gesundheit", ""),
    ("reha-kur", "Rehabilitation und Kur", "gesundheit", ""),
    ("rechtsberatung", "Rechtsberatung", None, ""),
    ("antraege", "Anträge und Formulare", None, "Hilfe beim Ausfüllen und Einreichen."),
    ("gewaltschutz", "Schutz vor Gewalt", None, ""),
    ("grundbedarf", "Lebensmittel, Kleidung und Grundbedarf", None, ""),
    ("ehrenamt-nachbarschaft", "Ehrenamt und Nachbarschaft", None, ""),
    ("digitale-hilfe", "Hilfe mit Computer und Smartphone", None, ""),
    ("begegnung", "Begegnung und Freizeit", None, ""),
]

#: slug, name, parent slug
TARGET_GROUPS = [
    ("familien", "Familien", None),
    ("alleinerziehende", "Alleinerziehende", "familien"),
    ("schwangere", "Schwangere und junge Eltern", "familien"),
    ("kinder", "Kinder", None),
    ("jugendliche", "Jugendliche und junge Erwachsene", None),
    ("aeltere-menschen", "Ältere Menschen", None),
    ("menschen-mit-behinderung", "Menschen mit Behinderung", None),
    ("zugewanderte", "Zugewanderte und Geflüchtete", None),
    ("arbeitsuchende", "Arbeitsuchende", None),
    ("pflegende-angehoerige", "Pflegende Angehörige", None),
    ("frauen", "Frauen", None),
    ("geringes-einkommen", "Menschen mit geringem Einkommen", None),
    ("wohnungslose", "Wohnungslose Menschen", None),
    ("suchtkranke", "Menschen mit Suchtproblemen und ihre Angehörigen", None),
    ("fachkraefte", "Fachkräfte und Ehrenamtliche", None),
]

#: Accessibility of a building: step-free, lift, accessible toilet, hearing loop, notes
ACCESS = {
    "full": (True, True, True, True, ""),
    "good": (True, True, True, False, ""),
    "ground": (
        True,
        False,
        True,
        False,
        "Alle Beratungsräume liegen im Erdgeschoss.",
    ),
    "ramp": (
        True,
        False,
        False,
        False,
        "Stufenloser Zugang über die Rampe am Seiteneingang; Klingel in Rollstuhlhöhe.",
    ),
    "upstairs": (
        False,
        False,
        False,
        False,
        "Beratungsraum im 1. Obergeschoss, kein Aufzug. Gespräche im Erdgeschoss sind nach "
        "Absprache möglich.",
    ),
    "old": (
        False,
        False,
        True,
        False,
        "Historisches Gebäude mit drei Stufen am Eingang; eine mobile Rampe wird auf Nachfrage "
        "angelegt.",
    ),
    "loop": (True, True, False, True, "Induktive Höranlage im Beratungsraum 1."),
}

STREETS = [
    "Bahnhofstraße",
    "Schulstraße",
    "Gartenstraße",
    "Lindenstraße",
    "Ringstraße",
    "Bergstraße",
    "Am Anger",
    "Mühlgasse",
    "Goethestraße",
    "Schillerstraße",
    "Wilhelmstraße",
    "Friedhofstraße",
    "Am Sportplatz",
    "Kirchgasse",
    "Talstraße",
]

# --- organisations -------------------------------------------------------------------------

COUNTY_DEPARTMENT = "county_department"
JOB_CENTRE = "job_centre"
EMPLOYMENT_AGENCY = "employment_agency"
PENSION_INSURANCE = "pension_insurance"
WELFARE_ASSOCIATION = "welfare_association"
MUNICIPALITY = "municipality"
NEIGHBOURHOOD_POINT = "neighbourhood_point"
OTHER = "other"


def _org(slug, name, short_name, kind, domain, town, street, place, access, description, offers,
         parent=None, website=None, mailbox="info"):  # fmt: skip
    return {
        "slug": slug,
        "name": name,
        "short_name": short_name,
        "kind": kind,
        "parent": parent,
        "domain": domain,
        "website": website or f"https://{domain}",
        "email": f"{mailbox}@{domain}",
        "town": town,
        "street": street,
        "place": place,
        "access": access,
        "description": description,
        "offers": offers,
    }


LK = "lahnfeld.example"

ORGANISATIONS = [
    # County departments
    _org(
        "kreisverwaltung-lahnfeld",
        "Kreisverwaltung Landkreis Lahnfeld",
        "Landkreis",
        COUNTY_DEPARTMENT,
        LK,
        "lahnfeld",
        "Kreishausplatz 1",
        "Kreishaus Lahnfeld",
        "full",
        "Die Kreisverwaltung ist für alle 18 Städte und Gemeinden im Landkreis zuständig.",
        {"buergerservice-kreis": ["lahnfeld"], "schwerbehindertenausweis": ["lahnfeld"]},
        website="https://www.lahnfeld.example",
    ),
    _org(
        "koordinierungsstelle-soziales-netzwerk",
        "Koordinierungsstelle Soziales Netzwerk",
        "Netzwerkkoordination",
        COUNTY_DEPARTMENT,
        LK,
        "lahnfeld",
        "Kreishausplatz 1",
        "Kreishaus Lahnfeld",
        "full",
        "Koordiniert das Netzwerk der sozialen Partner im Landkreis und pflegt diesen Wegweiser.",
        {
            "ehrenamtsagentur": ["lahnfeld"],
            "sozialpaten": ["lahnfeld", "dillhausen", "wettertal", "hohenwald"],
        },
        parent="kreisverwaltung-lahnfeld",
        website="https://www.lahnfeld.example/netzwerk",
        mailbox="netzwerk",
    ),
    _org(
        "sozialbuero-lahnfeld",
        "Sozialbüro Lahnfeld – Haus der sozialen Leistungen",
        "Sozialbüro",
        COUNTY_DEPARTMENT,
        LK,
        "lahnfeld",
        "Bahnhofstraße 12",
        "Haus der sozialen Leistungen",
        "full",
        "Eine Anlaufstelle für alle sozialen Fragen: Wir beraten, helfen bei Anträgen und "
        "begleiten Sie zum richtigen Partner.",
        {
            "sozialberatung": ["lahnfeld", "dillhausen", "wettertal", "ohmbach", "hohenwald"],
            "antragshilfe": [
                "lahnfeld",
                "ohmbach",
                "hohenwald",
                "bergrode",
                "lindenau",
                "steinfurth",
            ],
            "bildung-teilhabe": ["lahnfeld"],
            "heizkostenhilfe": ["lahnfeld"],
        },
        parent="kreisverwaltung-lahnfeld",
        website="https://www.lahnfeld.example/sozialbuero",
        mailbox="sozialbuero",
    ),
    _org(
        "gesundheitsamt-lahnfeld",
        "Gesundheitsamt Landkreis Lahnfeld",
        "Gesundheitsamt",
        COUNTY_DEPARTMENT,
        LK,
        "lahnfeld",
        "Am Schwanenteich 3",
        "Gesundheitsamt",
        "good",
        "Gesundheitsschutz, Beratung und Untersuchungen für alle Bürgerinnen und Bürger.",
        {
            "impfberatung": ["lahnfeld"],
            "sozialpsychiatrischer-dienst": ["lahnfeld", "dillhausen"],
            "schuleingangsuntersuchung": ["lahnfeld"],
            "sti-beratung": ["lahnfeld"],
            "fruehe-hilfen": ["lahnfeld"],
        },
        parent="kreisverwaltung-lahnfeld",
        website="https://www.lahnfeld.example/gesundheit",
        mailbox="gesundheitsamt",
    ),
    _org(
        "jugendamt-lahnfeld",
        "Jugendamt Landkreis Lahnfeld",
        "Jugendamt",
        COUNTY_DEPARTMENT,
        LK,
        "lahnfeld",
        "Kreishausplatz 3",
        "Kreishaus, Gebäude B",
        "good",
        "Unterstützt Kinder, Jugendliche und Familien – von den Frühen Hilfen bis zur "
        "Beistandschaft.",
        {
            "erziehungsberatung": ["lahnfeld", "dillhausen", "wettertal", "hohenwald"],
            "kindertagespflege": ["lahnfeld"],
            "unterhaltsvorschuss": ["lahnfeld"],
            "beistandschaft": ["lahnfeld"],
            "fruehe-hilfen": ["ohmbach", "hohenwald"],
        },
        parent="kreisverwaltung-lahnfeld",
        website="https://www.lahnfeld.example/jugend",
        mailbox="jugendamt",
    ),
    _org(
        "amt-fuer-soziales-lahnfeld",
        "Amt für Soziales und Teilhabe",
        "Sozialamt",
        COUNTY_DEPARTMENT,
        LK,
        "lahnfeld",
        "Kreishausplatz 1",
        "Kreishaus Lahnfeld",
        "full",
        "Sozialhilfe, Grundsicherung im Alter, Hilfe zur Pflege und Eingliederungshilfe.",
        {
            "grundsicherung-alter": ["lahnfeld"],
            "hilfe-zur-pflege": ["lahnfeld"],
            "eingliederungshilfe": ["lahnfeld"],
        },
        parent="kreisverwaltung-lahnfeld",
        website="https://www.lahnfeld.example/soziales",
        mailbox="sozialamt",
    ),
    _org(
        "pflegestuetzpunkt-lahnfeld",
        "Pflegestützpunkt Landkreis Lahnfeld",
        "Pflegestützpunkt",
        COUNTY_DEPARTMENT,
        LK,
        "lahnfeld",
        "Bahnhofstraße 12",
        "Haus der sozialen Leistungen",
        "full",
        "Neutrale und kostenlose Beratung rund um Pflege – gemeinsam getragen vom Landkreis "
        "und den Pflegekassen.",
        {
            "pflegeberatung": ["lahnfeld", "dillhausen", "wettertal", "hohenwald"],
            "pflegekurs-angehoerige": ["lahnfeld", "dillhausen"],
            "wohnberatung-alter": ["lahnfeld"],
        },
        parent="amt-fuer-soziales-lahnfeld",
        website="https://www.lahnfeld.example/pflege",
        mailbox="pflegestuetzpunkt",
    ),
    _org(
        "fachstelle-wohnen-lahnfeld",
        "Fachstelle Wohnen und Wohnungsnotfallhilfe",
        "Fachstelle Wohnen",
        COUNTY_DEPARTMENT,
        LK,
        "lahnfeld",
        "Bahnhofstraße 12",
        "Haus der sozialen Leistungen",
        "full",
        "Hilft, wenn die Wohnung in Gefahr ist, und vermittelt Notunterkünfte.",
        {"wohnungsnotfallhilfe": ["lahnfeld", "dillhausen"], "mietschulden": ["lahnfeld"]},
        parent="amt-fuer-soziales-lahnfeld",
        website="https://www.lahnfeld.example/wohnen",
        mailbox="wohnen",
    ),
    # Municipal job centre (Optionskommune)
    _org(
        "kommunales-jobcenter-lahnfeld",
        "Kommunales Jobcenter Lahnfeld",
        "Jobcenter",
        JOB_CENTRE,
        "jobcenter-lahnfeld.example",
        "lahnfeld",
        "Wetzlarer Straße 40",
        "Jobcenter Lahnfeld",
        "good",
        "Das Kommunale Jobcenter des Landkreises zahlt das Bürgergeld und unterstützt bei der "
        "Suche nach Arbeit und Ausbildung.",
        {
            "buergergeld": ["lahnfeld", "wettertal", "ohmbach", "eichelsdorf"],
            "arbeitsvermittlung": ["lahnfeld", "wettertal"],
            "jugendberufsagentur": ["lahnfeld"],
            "coaching-alleinerziehende": ["lahnfeld"],
            "bewerbungswerkstatt": ["lahnfeld", "wettertal", "ohmbach"],
        },
    ),
    _org(
        "jobcenter-geschaeftsstelle-dillhausen",
        "Kommunales Jobcenter – Geschäftsstelle Dillhausen",
        "Jobcenter Dillhausen",
        JOB_CENTRE,
        "jobcenter-lahnfeld.example",
        "dillhausen",
        "Schlossplatz 9",
        "Jobcenter Dillhausen",
        "ramp",
        "Geschäftsstelle für den Westkreis.",
        {
            "buergergeld": ["dillhausen", "hohenwald", "schoenborn", "talheim"],
            "arbeitsvermittlung": ["dillhausen"],
            "bewerbungswerkstatt": ["dillhausen"],
        },
        parent="kommunales-jobcenter-lahnfeld",
        website="https://jobcenter-lahnfeld.example/dillhausen",
        mailbox="dillhausen",
    ),
    # Employment agency
    _org(
        "agentur-fuer-arbeit-lahnfeld",
        "Agentur für Arbeit Lahnfeld",
        "Arbeitsagentur",
        EMPLOYMENT_AGENCY,
        "arbeitsagentur-lahnfeld.example",
        "lahnfeld",
        "Lahnuferweg 5",
        "Agentur für Arbeit",
        "full",
        "Arbeitslosengeld, Berufsberatung und Weiterbildung.",
        {
            "berufsberatung": ["lahnfeld", "dillhausen", "hohenwald"],
            "arbeitslos-melden": ["lahnfeld"],
            "weiterbildungsberatung": ["lahnfeld"],
            "reha-berufliche-teilhabe": ["lahnfeld"],
        },
    ),
    _org(
        "agentur-fuer-arbeit-wettertal",
        "Agentur für Arbeit Lahnfeld – Geschäftsstelle Wettertal",
        "Arbeitsagentur Wettertal",
        EMPLOYMENT_AGENCY,
        "arbeitsagentur-lahnfeld.example",
        "wettertal",
        "Hauptstraße 31",
        "Geschäftsstelle Wettertal",
        "ground",
        "Geschäftsstelle für den Ostkreis.",
        {"berufsberatung": ["wettertal"], "arbeitslos-melden": ["wettertal"]},
        parent="agentur-fuer-arbeit-lahnfeld",
        website="https://arbeitsagentur-lahnfeld.example/wettertal",
        mailbox="wettertal",
    ),
    # Pension insurance
    _org(
        "drv-hessen",
        "Deutsche Rentenversicherung Hessen",
        "DRV Hessen",
        PENSION_INSURANCE,
        "drv-hessen.example",
        "lahnfeld",
        "Lahnuferweg 9",
        "Servicezentrum",
        "good",
        "Gesetzliche Rentenversicherung für Hessen.",
        {"rententelefon": ["lahnfeld"]},
    ),
    _org(
        "drv-beratungsstelle-lahnfeld",
        "Deutsche Rentenversicherung – Auskunfts- und Beratungsstelle Lahnfeld",
        "DRV Lahnfeld",
        PENSION_INSURANCE,
        "drv-hessen.example",
        "lahnfeld",
        "Lahnuferweg 9",
        "Auskunfts- und Beratungsstelle",
        "good",
        "Persönliche Beratung zu Rente und Rehabilitation.",
        {
            "rentenberatung": ["lahnfeld"],
            "rentenantrag": ["lahnfeld"],
            "reha-kur": ["lahnfeld"],
            "versichertenberatung": [
                "ohmbach",
                "dillhausen",
                "wettertal",
                "hohenwald",
                "bergrode",
                "lindenau",
            ],
        },
        parent="drv-hessen",
        website="https://drv-hessen.example/lahnfeld",
        mailbox="lahnfeld",
    ),
    # Welfare associations
    _org(
        "awo-kreisverband-lahnfeld",
        "AWO Kreisverband Lahnfeld e. V.",
        "AWO",
        WELFARE_ASSOCIATION,
        "awo-lahnfeld.example",
        "lahnfeld",
        "Friedrich-Ebert-Straße 14",
        "AWO-Beratungszentrum",
        "good",
        "Die Arbeiterwohlfahrt im Landkreis: Beratung, Pflege, Kitas und Begegnung.",
        {
            "migrationsberatung": ["lahnfeld", "dillhausen", "hohenwald"],
            "schuldnerberatung": ["lahnfeld"],
            "jugendmigrationsdienst": ["lahnfeld"],
            "seniorenberatung": ["lahnfeld"],
            "essen-auf-raedern": ["lahnfeld", "muehlbach", "wiesental", "neuweiler", "ohmbach"],
            "kita": ["lahnfeld"],
            "ambulanter-pflegedienst": ["lahnfeld", "ohmbach", "wiesental"],
        },
    ),
    _org(
        "awo-ortsverein-ohmbach",
        "AWO Ortsverein Ohmbach",
        "AWO Ohmbach",
        WELFARE_ASSOCIATION,
        "awo-lahnfeld.example",
        "ohmbach",
        "Kirchstraße 7",
        "AWO-Begegnungsstätte",
        "ramp",
        "Ehrenamtlich getragener Ortsverein mit Begegnungsstätte.",
        {
            "seniorentreff": ["ohmbach", "steinfurth", "neuweiler"],
            "nachbarschaftshilfe": ["ohmbach"],
            "sprachcafe": ["ohmbach"],
            "digitalsprechstunde": ["ohmbach"],
        },
        parent="awo-kreisverband-lahnfeld",
        website="https://awo-lahnfeld.example/ohmbach",
        mailbox="ohmbach",
    ),
    _org(
        "diakonisches-werk-lahnfeld",
        "Diakonisches Werk Lahnfeld",
        "Diakonie",
        WELFARE_ASSOCIATION,
        "diakonie-lahnfeld.example",
        "lahnfeld",
        "Kirchplatz 5",
        "Haus der Diakonie",
        "loop",
        "Soziale Arbeit der evangelischen Kirche im Landkreis.",
        {
            "kasa": ["lahnfeld", "wettertal", "hohenwald", "lindenau", "eichelsdorf"],
            "schuldnerberatung": ["lahnfeld", "dillhausen"],
            "schwangerschaftsberatung": ["lahnfeld", "hohenwald"],
            "suchtberatung": ["lahnfeld", "dillhausen", "wettertal"],
            "tagesaufenthalt": ["lahnfeld"],
            "fluechtlingsberatung": ["lahnfeld"],
        },
    ),
    _org(
        "diakoniestation-wettertal",
        "Diakoniestation Wettertal",
        "Diakoniestation",
        WELFARE_ASSOCIATION,
        "diakonie-lahnfeld.example",
        "wettertal",
        "Pfarrgasse 2",
        "Diakoniestation",
        "ground",
        "Ambulante Pflege für den Ostkreis.",
        {
            "ambulanter-pflegedienst": [
                "wettertal",
                "eichelsdorf",
                "altenbrueck",
                "muehlbach",
                "steinfurth",
            ],
            "gespraechskreis-angehoerige": ["wettertal"],
        },
        parent="diakonisches-werk-lahnfeld",
        website="https://diakonie-lahnfeld.example/wettertal",
        mailbox="diakoniestation",
    ),
    _org(
        "caritasverband-lahnfeld",
        "Caritasverband Lahnfeld e. V.",
        "Caritas",
        WELFARE_ASSOCIATION,
        "caritas-lahnfeld.example",
        "lahnfeld",
        "Domgasse 8",
        "Caritashaus",
        "good",
        "Wohlfahrtsverband der katholischen Kirche im Landkreis.",
        {
            "sozialberatung": ["lahnfeld", "dillhausen"],
            "migrationsberatung": ["wettertal"],
            "schuldnerberatung": ["wettertal", "hohenwald"],
            "schwangerschaftsberatung": ["lahnfeld", "dillhausen"],
            "erziehungsberatung": ["ohmbach"],
            "kurberatung": ["lahnfeld"],
            "betreuungsverein": ["lahnfeld"],
        },
    ),
    _org(
        "caritas-sozialstation-dillhausen",
        "Caritas-Sozialstation Dillhausen",
        "Caritas-Sozialstation",
        WELFARE_ASSOCIATION,
        "caritas-lahnfeld.example",
        "dillhausen",
        "Marienstraße 4",
        "Caritas-Sozialstation",
        "ground",
        "Ambulante Pflege im Westkreis.",
        {
            "ambulanter-pflegedienst": [
                "dillhausen",
                "talheim",
                "schoenborn",
                "bergrode",
                "huettenrode",
            ]
        },
        parent="caritasverband-lahnfeld",
        website="https://caritas-lahnfeld.example/pflege",
        mailbox="sozialstation",
    ),
    _org(
        "drk-kreisverband-lahnfeld",
        "DRK-Kreisverband Lahnfeld e. V.",
        "DRK",
        WELFARE_ASSOCIATION,
        "drk-lahnfeld.example",
        "lahnfeld",
        "Rotkreuzstraße 1",
        "DRK-Zentrum",
        "good",
        "Das Deutsche Rote Kreuz im Landkreis Lahnfeld.",
        {
            "hausnotruf": ["lahnfeld", "dillhausen"],
            "erste-hilfe-kurs": ["lahnfeld", "dillhausen", "wettertal", "ohmbach"],
            "suchdienst": ["lahnfeld"],
            "kleiderladen": ["lahnfeld", "wettertal"],
            "migrationsberatung": ["ohmbach"],
        },
    ),
    _org(
        "drk-ortsverein-bergrode",
        "DRK-Ortsverein Bergrode",
        "DRK Bergrode",
        WELFARE_ASSOCIATION,
        "drk-lahnfeld.example",
        "bergrode",
        "Am Rathaus 6",
        "DRK-Heim Bergrode",
        "ramp",
        "Ehrenamtlicher Ortsverein.",
        {
            "kleiderladen": ["bergrode"],
            "seniorentreff": ["bergrode"],
            "besuchsdienst": ["bergrode"],
        },
        parent="drk-kreisverband-lahnfeld",
        website="https://drk-lahnfeld.example/bergrode",
        mailbox="bergrode",
    ),
    _org(
        "drk-ortsverein-hohenwald",
        "DRK-Ortsverein Hohenwald",
        "DRK Hohenwald",
        WELFARE_ASSOCIATION,
        "drk-lahnfeld.example",
        "hohenwald",
        "Waldstraße 21",
        "DRK-Heim Hohenwald",
        "upstairs",
        "Ehrenamtlicher Ortsverein.",
        {"fahrdienst": ["hohenwald", "schoenborn"], "besuchsdienst": ["hohenwald"]},
        parent="drk-kreisverband-lahnfeld",
        website="https://drk-lahnfeld.example/hohenwald",
        mailbox="hohenwald",
    ),
    _org(
        "drk-ortsverein-rosbach",
        "DRK-Ortsverein Rosbach am Wald",
        "DRK Rosbach",
        WELFARE_ASSOCIATION,
        "drk-lahnfeld.example",
        "rosbach-am-wald",
        "Bahnhofstraße 15",
        "DRK-Heim Rosbach",
        "ground",
        "Ehrenamtlicher Ortsverein.",
        {"erste-hilfe-kurs": ["rosbach-am-wald"], "seniorentreff": ["rosbach-am-wald"]},
        parent="drk-kreisverband-lahnfeld",
        website="https://drk-lahnfeld.example/rosbach",
        mailbox="rosbach",
    ),
    _org(
        "lebenshilfe-lahnfeld",
        "Lebenshilfe Lahnfeld e. V.",
        "Lebenshilfe",
        WELFARE_ASSOCIATION,
        "lebenshilfe-lahnfeld.example",
        "lahnfeld",
        "Am Auwald 2",
        "Lebenshilfe-Zentrum",
        "full",
        "Mitglied im Paritätischen: Angebote für Menschen mit Behinderung und ihre Familien.",
        {
            "eutb": ["lahnfeld", "dillhausen"],
            "familienentlastender-dienst": ["lahnfeld"],
            "fruehfoerderung": ["lahnfeld"],
        },
    ),
    # Municipalities
    _org(
        "stadt-lahnfeld",
        "Kreisstadt Lahnfeld",
        "Stadt Lahnfeld",
        MUNICIPALITY,
        "stadt-lahnfeld.example",
        "lahnfeld",
        "Marktplatz 1",
        "Neues Rathaus",
        "full",
        "Die Kreisstadt mit ihren Bürgerdiensten.",
        {
            "buergerbuero": ["lahnfeld"],
            "seniorenbuero": ["lahnfeld"],
            "wohngeld": ["lahnfeld"],
            "integrationsbuero": ["lahnfeld"],
            "jugendzentrum": ["lahnfeld"],
        },
        website="https://www.stadt-lahnfeld.example",
        mailbox="buergerbuero",
    ),
    _org(
        "stadt-dillhausen",
        "Stadt Dillhausen",
        "Dillhausen",
        MUNICIPALITY,
        "dillhausen.example",
        "dillhausen",
        "Schlossplatz 4",
        "Rathaus Dillhausen",
        "old",
        "Stadt im Westkreis.",
        {
            "buergerbuero": ["dillhausen"],
            "seniorenbuero": ["dillhausen"],
            "jugendzentrum": ["dillhausen"],
            "wohngeld": ["dillhausen"],
        },
        website="https://www.dillhausen.example",
        mailbox="rathaus",
    ),
    _org(
        "gemeinde-ohmbach",
        "Gemeinde Ohmbach",
        "Ohmbach",
        MUNICIPALITY,
        "ohmbach.example",
        "ohmbach",
        "Kirchstraße 2",
        "Rathaus Ohmbach",
        "ramp",
        "Gemeinde im Nordosten.",
        {"buergerbuero": ["ohmbach"], "seniorenbuero": ["ohmbach"], "jugendzentrum": ["ohmbach"]},
        website="https://www.ohmbach.example",
        mailbox="rathaus",
    ),
    _org(
        "gemeinde-wettertal",
        "Gemeinde Wettertal",
        "Wettertal",
        MUNICIPALITY,
        "wettertal.example",
        "wettertal",
        "Hauptstraße 18",
        "Rathaus Wettertal",
        "good",
        "Gemeinde im Südosten.",
        {"buergerbuero": ["wettertal"], "jugendzentrum": ["wettertal"]},
        website="https://www.wettertal.example",
        mailbox="rathaus",
    ),
    _org(
        "gemeinde-hohenwald",
        "Gemeinde Hohenwald",
        "Hohenwald",
        MUNICIPALITY,
        "hohenwald.example",
        "hohenwald",
        "Waldstraße 10",
        "Rathaus Hohenwald",
        "ground",
        "Gemeinde im Norden, Modellgemeinde „Gemeindeschwester“.",
        {
            "buergerbuero": ["hohenwald"],
            "gemeindeschwester": ["hohenwald", "schoenborn"],
            "jugendzentrum": ["hohenwald"],
        },
        website="https://www.hohenwald.example",
        mailbox="rathaus",
    ),
    _org(
        "gemeinde-bergrode",
        "Gemeinde Bergrode",
        "Bergrode",
        MUNICIPALITY,
        "bergrode.example",
        "bergrode",
        "Am Rathaus 3",
        "Rathaus Bergrode",
        "ramp",
        "Gemeinde im Westkreis.",
        {"buergerbuero": ["bergrode"], "seniorenbuero": ["bergrode"]},
        website="https://www.bergrode.example",
        mailbox="rathaus",
    ),
    _org(
        "stadt-lindenau",
        "Stadt Lindenau an der Lahn",
        "Lindenau",
        MUNICIPALITY,
        "lindenau-lahn.example",
        "lindenau",
        "Lahnstraße 22",
        "Rathaus Lindenau",
        "good",
        "Kleinstadt an der Lahn.",
        {
            "buergerbuero": ["lindenau"],
            "seniorenbuero": ["lindenau"],
            "jugendzentrum": ["lindenau"],
        },
        website="https://www.lindenau-lahn.example",
        mailbox="rathaus",
    ),
    _org(
        "gemeinde-muehlbach",
        "Gemeinde Mühlbach",
        "Mühlbach",
        MUNICIPALITY,
        "muehlbach.example",
        "muehlbach",
        "Mühlweg 2",
        "Rathaus Mühlbach",
        "ground",
        "Gemeinde südlich der Kreisstadt.",
        {"buergerbuero": ["muehlbach"]},
        website="https://www.muehlbach.example",
        mailbox="rathaus",
    ),
    _org(
        "gemeinde-eichelsdorf",
        "Gemeinde Eichelsdorf",
        "Eichelsdorf",
        MUNICIPALITY,
        "eichelsdorf.example",
        "eichelsdorf",
        "Rathausstraße 5",
        "Rathaus Eichelsdorf",
        "old",
        "Gemeinde im Ostkreis.",
        {"buergerbuero": ["eichelsdorf"], "seniorenbuero": ["eichelsdorf"]},
        website="https://www.eichelsdorf.example",
        mailbox="rathaus",
    ),
    _org(
        "gemeinde-steinfurth",
        "Gemeinde Steinfurth",
        "Steinfurth",
        MUNICIPALITY,
        "steinfurth.example",
        "steinfurth",
        "Obergasse 1",
        "Rathaus Steinfurth",
        "upstairs",
        "Gemeinde im Nordosten.",
        {"buergerbuero": ["steinfurth"]},
        website="https://www.steinfurth.example",
        mailbox="rathaus",
    ),
    # Neighbourhood contact points
    _org(
        "stadtteilbuero-lahnfeld-nord",
        "Stadtteilbüro Lahnfeld Nord",
        "Stadtteilbüro Nord",
        NEIGHBOURHOOD_POINT,
        "stadtteil-lahnfeld.example",
        "lahnfeld",
        "Rosenhang 24",
        "Stadtteilbüro Nord",
        "ground",
        "Treffpunkt und Beratung im Quartier Am Rosenhang.",
        {
            "stadtteilsprechstunde": ["lahnfeld"],
            "sprachcafe": ["lahnfeld"],
            "hausaufgabenhilfe": ["lahnfeld"],
            "digitalsprechstunde": ["lahnfeld"],
        },
        website="https://stadtteil-lahnfeld.example/nord",
        mailbox="nord",
    ),
    _org(
        "stadtteilbuero-lahnfeld-sued",
        "Stadtteilbüro Bahnhofsviertel",
        "Stadtteilbüro Süd",
        NEIGHBOURHOOD_POINT,
        "stadtteil-lahnfeld.example",
        "lahnfeld",
        "Gleisstraße 3",
        "Stadtteilbüro Bahnhofsviertel",
        "ramp",
        "Quartiersarbeit im Bahnhofsviertel.",
        {
            "stadtteilsprechstunde": ["lahnfeld"],
            "sprachcafe": ["lahnfeld"],
            "nachbarschaftshilfe": ["lahnfeld"],
            "mittagstisch": ["lahnfeld"],
            "digitalsprechstunde": ["lahnfeld"],
        },
        website="https://stadtteil-lahnfeld.example/sued",
        mailbox="sued",
    ),
    _org(
        "familienzentrum-lahnwiesen",
        "Familienzentrum Lahnwiesen",
        "Familienzentrum West",
        NEIGHBOURHOOD_POINT,
        "familienzentrum-lahnwiesen.example",
        "lahnfeld",
        "Lahnwiesenweg 11",
        "Familienzentrum Lahnwiesen",
        "good",
        "Kita und Familienzentrum im Stadtteil Lahnfeld West.",
        {
            "eltern-kind-gruppe": ["lahnfeld"],
            "elterncafe": ["lahnfeld"],
            "familienhebamme": ["lahnfeld"],
            "hausaufgabenhilfe": ["lahnfeld"],
        },
    ),
    _org(
        "familienzentrum-hohenwald",
        "Familienzentrum Hohenwald",
        "Familienzentrum Hohenwald",
        NEIGHBOURHOOD_POINT,
        "familienzentrum-hohenwald.example",
        "hohenwald",
        "Schulstraße 5",
        "Familienzentrum",
        "ground",
        "Familienzentrum im Nordkreis.",
        {
            "eltern-kind-gruppe": ["hohenwald"],
            "elterncafe": ["hohenwald"],
            "fruehe-hilfen": ["schoenborn"],
            "sprachcafe": ["hohenwald"],
        },
    ),
    _org(
        "mehrgenerationenhaus-dillhausen",
        "Mehrgenerationenhaus Dillhausen",
        "MGH Dillhausen",
        NEIGHBOURHOOD_POINT,
        "mgh-dillhausen.example",
        "dillhausen",
        "Gartenstraße 17",
        "Mehrgenerationenhaus",
        "full",
        "Offener Treffpunkt für alle Generationen.",
        {
            "sprachcafe": ["dillhausen"],
            "digitalsprechstunde": ["dillhausen"],
            "mittagstisch": ["dillhausen"],
            "nachbarschaftshilfe": ["dillhausen"],
            "hausaufgabenhilfe": ["dillhausen"],
        },
    ),
    # Other partners
    _org(
        "lahnfelder-tafel",
        "Lahnfelder Tafel e. V.",
        "Tafel",
        OTHER,
        "tafel-lahnfeld.example",
        "lahnfeld",
        "Industriestraße 8",
        "Ausgabestelle Lahnfeld",
        "ground",
        "Verteilt gespendete Lebensmittel an Menschen mit wenig Geld.",
        {"tafel": ["lahnfeld", "dillhausen", "wettertal", "hohenwald", "ohmbach"]},
    ),
    _org(
        "mieterverein-lahnfeld",
        "Mieterverein Lahnfeld e. V.",
        "Mieterverein",
        OTHER,
        "mieterverein-lahnfeld.example",
        "lahnfeld",
        "Schillerstraße 20",
        "Geschäftsstelle",
        "upstairs",
        "Rechtsberatung für Mieterinnen und Mieter.",
        {"mietrechtsberatung": ["lahnfeld", "dillhausen", "wettertal"]},
    ),
    _org(
        "frauen-helfen-frauen-lahnfeld",
        "Frauen helfen Frauen Lahnfeld e. V.",
        "Frauen helfen Frauen",
        OTHER,
        "fhf-lahnfeld.example",
        "lahnfeld",
        "Postfach – Adresse nach Absprache",
        "Frauenberatungsstelle",
        "good",
        "Frauenberatungsstelle und Frauenhaus.",
        {"frauenberatung": ["lahnfeld"], "frauenhaus": ["lahnfeld"]},
    ),
    _org(
        "amtsgericht-lahnfeld",
        "Amtsgericht Lahnfeld – Rechtsantragstelle",
        "Amtsgericht",
        OTHER,
        "ag-lahnfeld.example",
        "lahnfeld",
        "Gerichtsstraße 2",
        "Amtsgericht Lahnfeld",
        "old",
        "Beratungshilfe und Rechtsantragstelle.",
        {"beratungshilfe": ["lahnfeld"]},
        mailbox="poststelle",
    ),
]
ORG = {o["slug"]: o for o in ORGANISATIONS}

#: Neighbourhood points of the county town and the social area they work in.
ORG_AREAS = {
    "stadtteilbuero-lahnfeld-nord": "lahnfeld-nord",
    "stadtteilbuero-lahnfeld-sued": "lahnfeld-sued",
    "familienzentrum-lahnwiesen": "lahnfeld-west",
}

#: Where the real street of a place must not be published (women's shelter).
HIDDEN_ADDRESS = {"frauen-helfen-frauen-lahnfeld"}

#: Wednesday-morning mobile consultations touring the town halls. The Pflegestützpunkt uses
#: monthly weeks, the Sozialbüro a four-week interval counted from staggered start dates.
ROTATING = [
    {
        "organisation": "pflegestuetzpunkt-lahnfeld",
        "template": "pflegeberatung-mobil",
        "mode": "monthly",
        "towns": ["ohmbach", "wettertal", "hohenwald", "eichelsdorf"],
        "hours": (dt.time(9, 0), dt.time(12, 0)),
    },
    {
        "organisation": "sozialbuero-lahnfeld",
        "template": "sozialbuero-mobil",
        "mode": "interval",
        "towns": ["bergrode", "talheim", "rosbach-am-wald", "huettenrode"],
        "hours": (dt.time(9, 0), dt.time(12, 30)),
    },
]

#: Public bodies publish their own changes; of the welfare associations only the Diakonie does,
#: so the demo shows both ways: "diakonie" publishes directly, "awo" waits for "koordination".
TRUSTED_KINDS = {COUNTY_DEPARTMENT, JOB_CENTRE, EMPLOYMENT_AGENCY, PENSION_INSURANCE}
TRUSTED_ORGANISATIONS = {"diakonisches-werk-lahnfeld"}

#: Demo users; all log in with DEMO_PASSWORD.
DEMO_PASSWORD = "demo-lotse"
USERS = [
    {
        "username": "koordination",
        "first_name": "Thomas",
        "last_name": "Lenz",
        "organisation": "koordinierungsstelle-soziales-netzwerk",
        "roles": ["coordinator"],
        "person": "Netzwerkkoordinator",
    },
    {
        "username": "beratung",
        "first_name": "Miriam",
        "last_name": "Schäfer",
        "organisation": "sozialbuero-lahnfeld",
        "roles": ["adviser"],
        "person": "Sozialberaterin",
    },
    {
        "username": "awo",
        "first_name": "Anna",
        "last_name": "Wolff",
        "organisation": "awo-kreisverband-lahnfeld",
        "roles": ["editor", "contact"],
        "person": "Koordinatorin der Beratungsdienste",
        "handover_for": ["migrationsberatung", "schuldnerberatung", "seniorenberatung"],
    },
    {
        "username": "diakonie",
        "first_name": "Jonas",
        "last_name": "Hartmann",
        "organisation": "diakonisches-werk-lahnfeld",
        "roles": ["editor", "contact"],
        "person": "Bereichsleiter Beratungsdienste",
        "handover_for": ["kasa", "schuldnerberatung", "fluechtlingsberatung"],
    },
    {
        "username": "admin",
        "first_name": "Demo",
        "last_name": "Administration",
        "superuser": True,
    },
]

# --- people ----------------------------------------------------------------------------------

#: first names (female, male), surnames, languages besides German, weight
NAME_POOLS = [
    (
        [
            "Anna",
            "Sabine",
            "Katharina",
            "Julia",
            "Petra",
            "Claudia",
            "Sandra",
            "Nicole",
            "Laura",
            "Hanna",
            "Christine",
            "Monika",
            "Birgit",
            "Jana",
            "Leonie",
            "Sarah",
            "Stefanie",
        ],
        [
            "Thomas",
            "Michael",
            "Andreas",
            "Stefan",
            "Markus",
            "Jan",
            "Lukas",
            "Tobias",
            "Jürgen",
            "Frank",
            "Daniel",
            "Florian",
            "Felix",
            "Bernd",
            "Matthias",
            "Kai",
            "Niklas",
        ],
        [
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Koch",
            "Richter",
            "Klein",
            "Schröder",
            "Neumann",
            "Braun",
            "Krüger",
            "Lange",
            "Werner",
            "Krause",
            "Lehmann",
            "Köhler",
            "König",
            "Walter",
            "Kaiser",
            "Fuchs",
            "Peters",
            "Scholz",
            "Möller",
            "Jung",
            "Hahn",
            "Vogel",
            "Keller",
            "Roth",
            "Lorenz",
            "Baumann",
            "Albrecht",
            "Simon",
            "Ludwig",
            "Winter",
            "Sommer",
            "Seidel",
        ],
        ["en"],
        62,
    ),
    (
        ["Ayşe", "Elif", "Zeynep", "Derya"],
        ["Mehmet", "Emre", "Yusuf", "Murat"],
        ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın"],
        ["tr"],
        10,
    ),  # fmt: skip
    (
        ["Olena", "Iryna", "Natalija", "Switlana"],
        ["Dmytro", "Andrij", "Serhij", "Pawlo"],
        ["Kovalenko", "Shevchenko", "Bondarenko", "Melnyk", "Tkachenko"],
        ["uk", "ru"],
        7,
    ),  # fmt: skip
    (
        ["Fatima", "Mariam", "Yasmin", "Rania"],
        ["Ahmad", "Karim", "Hassan", "Samir"],
        ["Haddad", "Nasser", "Khalil", "Mansour"],
        ["ar"],
        6,
    ),  # fmt: skip
    (
        ["Shirin", "Leila", "Nasrin"],
        ["Omid", "Reza", "Dariush"],
        ["Rahimi", "Ahmadi", "Karimi", "Moradi"],
        ["fa"],
        4,
    ),  # fmt: skip
    (
        ["Agnieszka", "Katarzyna"],
        ["Tomasz", "Piotr"],
        ["Nowak", "Wójcik", "Kowalczyk"],
        ["pl"],
        5,
    ),  # fmt: skip
    (["Ioana", "Andreea"], ["Mihai", "Andrei"], ["Popescu", "Ionescu", "Dumitru"], ["ro"], 4),
]

#: Titles of the person who leads a unit, by organisation kind: (female, male)
LEAD_FUNCTIONS = {
    COUNTY_DEPARTMENT: ("Fachdienstleiterin", "Fachdienstleiter"),
    JOB_CENTRE: ("Teamleiterin", "Teamleiter"),
    EMPLOYMENT_AGENCY: ("Teamleiterin", "Teamleiter"),
    PENSION_INSURANCE: ("Leiterin der Beratungsstelle", "Leiter der Beratungsstelle"),
    WELFARE_ASSOCIATION: ("Einrichtungsleiterin", "Einrichtungsleiter"),
    MUNICIPALITY: ("Leiterin des Bürgerbüros", "Leiter des Bürgerbüros"),
    NEIGHBOURHOOD_POINT: ("Quartiersmanagerin", "Quartiersmanager"),
    OTHER: ("Geschäftsführerin", "Geschäftsführer"),
}

_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def ascii_name(text):
    """ "Şahin" → "sahin", "Müller" → "mueller": for e-mail addresses."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "-")).lower()


def slug_for(text):
    """German-friendly slug: "Bürgergeld" → "buergergeld" (slugify alone gives "burgergeld")."""
    from django.utils.text import slugify

    return slugify(text.translate(_TRANSLIT))


def pick_person(rng):
    """(first name, surname, female?, extra language codes) from the weighted pools."""
    pools = NAME_POOLS
    female_names, male_names, surnames, languages, _weight = rng.choices(
        pools, weights=[p[4] for p in pools]
    )[0]
    female = rng.random() < 0.6
    first = rng.choice(female_names if female else male_names)
    spoken = [code for code in languages if rng.random() < 0.8]
    return first, rng.choice(surnames), female, spoken


# --- offers ----------------------------------------------------------------------------------


def _offer(title, topics, groups, staff, summary, about, tasks, easy, *, hours="consult",
           eligibility="", apply="", bring="", fee="", ages=None, languages=(),
           confidential=True, mailbox=""):  # fmt: skip
    return {
        "title": title,
        "topics": topics,
        "groups": groups,
        "staff": staff,
        "summary": summary,
        "about": about,
        "tasks": tasks,
        "easy": easy,
        "hours": hours,
        "eligibility": eligibility,
        "apply": apply,
        "bring": bring,
        "fee": fee,
        "ages": ages,
        "languages": list(languages),
        "confidential": confidential,
        "mailbox": mailbox,
    }


BRING_ID = "Personalausweis oder Reisepass"
BRING_LETTERS = "Briefe, Bescheide und Verträge, um die es geht"
BRING_INCOME = "Nachweise über Ihr Einkommen der letzten drei Monate"
BRING_RENT = "Mietvertrag und letzte Nebenkostenabrechnung"

OFFERS = {
    # County services
    "buergerservice-kreis": _offer(
        "Bürgerservice im Kreishaus",
        ["antraege"],
        ["geringes-einkommen", "aeltere-menschen"],
        ("Sachbearbeiterin Bürgerservice", "Sachbearbeiter Bürgerservice"),
        [
            "Erste Anlaufstelle im Kreishaus: Wir nehmen Anträge entgegen, beglaubigen Kopien und "
            "sagen Ihnen, wer im Haus für Ihr Anliegen zuständig ist."
        ],
        [
            "Im Bürgerservice bekommen Sie Formulare aller Ämter des Landkreises und Hilfe, sie "
            "richtig auszufüllen."
        ],
        [
            "Formulare und Merkblätter aller Fachdienste",
            "Beglaubigung von Kopien",
            "Annahme von Anträgen und Unterlagen",
            "Auskunft, wer zuständig ist",
            "Terminvergabe für andere Fachdienste",
        ],
        "Sie haben Post vom Amt? Sie brauchen ein Formular? Wir helfen Ihnen dabei.",
        hours="office",
        bring=BRING_ID,
        confidential=False,
        mailbox="buergerservice",
    ),
    "schwerbehindertenausweis": _offer(
        "Schwerbehindertenausweis und Nachteilsausgleiche",
        ["behinderung", "antraege"],
        ["menschen-mit-behinderung"],
        ("Sachbearbeiterin Schwerbehindertenrecht", "Sachbearbeiter Schwerbehindertenrecht"),
        [
            "Wir beraten zum Antrag auf Feststellung einer Behinderung und zu Merkzeichen wie G, "
            "aG oder B."
        ],
        [
            "Ein Schwerbehindertenausweis öffnet den Weg zu Nachteilsausgleichen – vom "
            "Steuerfreibetrag bis zur Freifahrt im Nahverkehr."
        ],
        [
            "Antrag auf Feststellung des Grades der Behinderung",
            "Merkzeichen und was sie bedeuten",
            "Verlängerung und Änderung des Ausweises",
            "Nachteilsausgleiche im Alltag und im Beruf",
            "Widerspruch gegen einen Bescheid",
        ],
        "Sie haben eine Behinderung? Es gibt einen Ausweis dafür. Mit dem Ausweis bekommen Sie "
        "Hilfen. Wir helfen beim Antrag.",
        hours="appointment",
        bring=f"{BRING_ID}, ärztliche Befunde und Berichte, ein aktuelles Passfoto",
    ),
    "ehrenamtsagentur": _offer(
        "Ehrenamtsagentur",
        ["ehrenamt-nachbarschaft"],
        ["fachkraefte"],
        ("Koordinatorin Ehrenamt", "Koordinator Ehrenamt"),
        [
            "Sie möchten sich engagieren? Wir finden mit Ihnen ein Ehrenamt, das zu Ihrer Zeit und "
            "Ihren Stärken passt."
        ],
        [
            "Die Ehrenamtsagentur vermittelt Freiwillige an Vereine, Initiativen und soziale "
            "Einrichtungen im ganzen Landkreis."
        ],
        [
            "Persönliches Gespräch über Ihre Wünsche",
            "Vermittlung an Vereine und Einrichtungen",
            "Fortbildungen für Ehrenamtliche",
            "Ehrenamtskarte des Landes Hessen",
            "Versicherungsschutz im Ehrenamt",
        ],
        "Sie wollen anderen Menschen helfen? Wir sagen Ihnen, wo Sie helfen können.",
        hours="appointment",
        confidential=False,
        mailbox="ehrenamt",
    ),
    "sozialpaten": _offer(
        "Sozialpatinnen und Sozialpaten",
        ["antraege", "ehrenamt-nachbarschaft"],
        ["geringes-einkommen", "zugewanderte", "aeltere-menschen"],
        ("Projektkoordinatorin Sozialpaten", "Projektkoordinator Sozialpaten"),
        [
            "Geschulte Ehrenamtliche begleiten Sie beim Papierkram, bei Behördengängen und beim "
            "Sortieren Ihrer Post."
        ],
        [
            "Unsere Sozialpatinnen und Sozialpaten sind ehrenamtlich tätig, geschult und zur "
            "Verschwiegenheit verpflichtet. Sie ersetzen keine Fachberatung, helfen aber dabei, "
            "den Überblick zu behalten."
        ],
        [
            "Briefe von Ämtern verstehen",
            "Formulare gemeinsam ausfüllen",
            "Begleitung zu Terminen bei Behörden",
            "Ordnung in Unterlagen bringen",
            "Fristen im Blick behalten",
        ],
        "Sie verstehen einen Brief vom Amt nicht? Eine Patin oder ein Pate hilft Ihnen. Das "
        "kostet nichts.",
        hours="group",
        bring=BRING_LETTERS,
    ),
    "sozialberatung": _offer(
        "Allgemeine Sozialberatung",
        ["existenzsicherung", "antraege"],
        ["geringes-einkommen", "familien", "alleinerziehende"],
        ("Sozialberaterin", "Sozialberater"),
        [
            "Beratung bei allen sozialen Fragen: Geld, Wohnen, Arbeit, Familie. Wir klären mit "
            "Ihnen, welche Hilfen Ihnen zustehen.",
            "Sie wissen nicht weiter oder nicht, wer zuständig ist? Wir beraten Sie und begleiten "
            "Sie zum richtigen Partner.",
        ],
        [
            "In der Sozialberatung schauen wir gemeinsam auf Ihre ganze Lage und nicht nur auf "
            "einen Antrag.",
            "Die Sozialberatung ist offen für alle Fragen. Gemeinsam finden wir heraus, welche "
            "Leistungen und Hilfen für Sie in Frage kommen.",
        ],
        [
            "Prüfung von Ansprüchen auf Bürgergeld, Wohngeld, Kinderzuschlag und Grundsicherung",
            "Hilfe bei Anträgen und Widersprüchen",
            "Vermittlung an Fachberatungsstellen",
            "Unterstützung bei Problemen mit Behörden",
            "Beratung in finanziellen Notlagen",
            "Vorbereitung von Gesprächen mit Ämtern",
        ],
        "Sie haben Sorgen? Mit Geld, Wohnung oder Familie? Kommen Sie zu uns. Wir hören zu und "
        "helfen weiter.",
        bring=f"{BRING_ID} und {BRING_LETTERS}",
    ),
    "antragshilfe": _offer(
        "Hilfe bei Anträgen und Formularen",
        ["antraege", "existenzsicherung"],
        ["geringes-einkommen", "aeltere-menschen", "zugewanderte"],
        ("Verwaltungsfachangestellte", "Verwaltungsfachangestellter"),
        [
            "Wir füllen mit Ihnen Anträge aus – etwa für Bürgergeld, Wohngeld, Kinderzuschlag oder "
            "Rente – und prüfen, ob alle Unterlagen vollständig sind."
        ],
        [
            "Viele Leistungen scheitern nicht am Anspruch, sondern an langen Formularen. Wir "
            "nehmen uns Zeit und gehen die Fragen Schritt für Schritt mit Ihnen durch."
        ],
        [
            "Ausfüllen von Anträgen auf Sozialleistungen",
            "Kopieren und Einreichen von Nachweisen",
            "Online-Anträge gemeinsam am Computer",
            "Erklärung von Bescheiden",
            "Fristen und Weiterbewilligungsanträge",
        ],
        "Ein Antrag ist schwer? Wir füllen ihn mit Ihnen zusammen aus.",
        hours="office",
        bring=f"{BRING_ID}, {BRING_INCOME} und {BRING_LETTERS}",
    ),
    "sozialbuero-mobil": _offer(
        "Sozialbüro unterwegs – Sprechstunde im Rathaus",
        ["antraege", "existenzsicherung"],
        ["aeltere-menschen", "geringes-einkommen"],
        ("Sozialberaterin", "Sozialberater"),
        [
            "Das Sozialbüro kommt zu Ihnen: jeden Mittwochvormittag in einem anderen Rathaus der "
            "kleineren Gemeinden."
        ],
        [
            "Nicht jeder kann für eine Beratung in die Kreisstadt fahren. Deshalb hält das "
            "Sozialbüro reihum Sprechstunden in den Rathäusern ab – ohne Anmeldung."
        ],
        [
            "Beratung zu allen sozialen Leistungen",
            "Hilfe beim Ausfüllen von Anträgen",
            "Weiterleitung von Unterlagen an die Fachdienste",
            "Vermittlung von Terminen",
        ],
        "Sie können nicht nach Lahnfeld fahren? Das Sozialbüro kommt in Ihr Rathaus. Jeden "
        "Mittwoch in einen anderen Ort.",
        hours="rotating",
        bring=BRING_LETTERS,
    ),
    "bildung-teilhabe": _offer(
        "Bildung und Teilhabe für Kinder",
        ["bildung-teilhabe", "familie"],
        ["familien", "kinder", "geringes-einkommen"],
        ("Sachbearbeiterin Bildung und Teilhabe", "Sachbearbeiter Bildung und Teilhabe"),
        [
            "Zuschüsse für Klassenfahrten, Schulbedarf, Nachhilfe, Mittagessen und Vereinsbeiträge "
            "für Kinder aus Familien mit wenig Geld."
        ],
        [
            "Kinder und Jugendliche aus Familien, die Bürgergeld, Wohngeld, Kinderzuschlag oder "
            "Sozialhilfe bekommen, haben Anspruch auf Leistungen für Bildung und Teilhabe."
        ],
        [
            "Ausflüge und Klassenfahrten",
            "Schulbedarf",
            "Lernförderung",
            "Gemeinsames Mittagessen in Kita und Schule",
            "Sport, Musik und Freizeit im Verein",
            "Schülerbeförderung",
        ],
        "Ihr Kind braucht Geld für die Klassenfahrt oder den Sportverein? Es gibt Hilfe vom "
        "Amt. Wir zeigen Ihnen, wie.",
        hours="office",
        bring="Bescheid über Bürgergeld, Wohngeld oder Kinderzuschlag",
        ages=(0, 25),
    ),
    "heizkostenhilfe": _offer(
        "Hilfe bei hohen Heiz- und Stromkosten",
        ["existenzsicherung", "schulden", "wohnen"],
        ["geringes-einkommen", "familien", "aeltere-menschen"],
        ("Sozialberaterin", "Sozialberater"),
        [
            "Nachzahlung für Strom oder Heizung? Wir prüfen, ob das Jobcenter, das Sozialamt oder "
            "ein Härtefallfonds einspringen kann."
        ],
        [
            "Eine hohe Nebenkostenabrechnung kann jeden treffen. Auch wer sonst keine Leistungen "
            "bekommt, kann im Monat der Fälligkeit Anspruch auf Unterstützung haben."
        ],
        [
            "Prüfung der Abrechnung",
            "Antrag auf Übernahme der Nachzahlung",
            "Ratenzahlung mit dem Versorger",
            "Tipps zum Energiesparen",
            "Schutz vor einer Stromsperre",
        ],
        "Sie müssen viel Geld für Strom oder Heizung nachzahlen? Sie können Hilfe bekommen. "
        "Kommen Sie schnell zu uns.",
        hours="seasonal",
        bring=f"Die Abrechnung des Versorgers, {BRING_INCOME}",
    ),
    "impfberatung": _offer(
        "Impfberatung und Impfsprechstunde",
        ["gesundheit"],
        ["familien", "zugewanderte"],
        ("Ärztin im Gesundheitsamt", "Arzt im Gesundheitsamt"),
        [
            "Beratung zu Impfungen für Kinder, Erwachsene und Reisen; Impfungen für Menschen ohne "
            "Krankenversicherung."
        ],
        ["Das Gesundheitsamt prüft Ihren Impfpass und empfiehlt, welche Impfungen fehlen."],
        [
            "Durchsicht des Impfpasses",
            "Reiseimpfberatung",
            "Impfungen für Menschen ohne Krankenversicherung",
            "Masernschutz für Kita und Schule",
        ],
        "Sie wollen wissen, welche Impfung Sie brauchen? Bringen Sie Ihren Impfpass mit. Wir "
        "beraten Sie.",
        hours="office",
        bring="Impfpass und Krankenversicherungskarte, falls vorhanden",
        fee="Reiseimpfungen nach der Gebührenordnung für Ärzte; Beratung kostenlos",
        confidential=False,
    ),
    "sozialpsychiatrischer-dienst": _offer(
        "Sozialpsychiatrischer Dienst",
        ["psychische-gesundheit", "gesundheit"],
        ["menschen-mit-behinderung", "suchtkranke"],
        (
            "Sozialarbeiterin im Sozialpsychiatrischen Dienst",
            "Sozialarbeiter im Sozialpsychiatrischen Dienst",
        ),
        ["Hilfe für Menschen in seelischen Krisen und ihre Angehörigen – auch mit Hausbesuch."],
        [
            "Der Sozialpsychiatrische Dienst berät Menschen mit psychischen Erkrankungen, "
            "Suchterkrankungen oder in seelischen Krisen. Angehörige, Nachbarn und Fachleute "
            "können sich ebenfalls melden."
        ],
        [
            "Beratung in Krisen",
            "Hausbesuche",
            "Vermittlung in Behandlung und Therapie",
            "Unterstützung von Angehörigen",
            "Hilfe bei der Suche nach betreutem Wohnen",
        ],
        "Es geht Ihnen seelisch nicht gut? Sie machen sich Sorgen um einen Menschen? Rufen Sie "
        "uns an. Wir kommen auch zu Ihnen nach Hause.",
        hours="care",
    ),
    "schuleingangsuntersuchung": _offer(
        "Schuleingangsuntersuchung",
        ["gesundheit", "familie"],
        ["kinder", "familien"],
        ("Kinderärztin", "Kinderarzt"),
        [
            "Vor der Einschulung untersucht der Kinder- und Jugendärztliche Dienst alle Kinder: "
            "Sehen, Hören, Sprache und Entwicklung."
        ],
        [
            "Die Untersuchung ist für alle Kinder vor der Einschulung Pflicht. Sie bekommen eine "
            "Einladung mit Termin."
        ],
        [
            "Seh- und Hörtest",
            "Sprach- und Entwicklungsstand",
            "Beratung zu Förderangeboten",
            "Prüfung des Impfschutzes",
        ],
        "Ihr Kind kommt in die Schule? Vorher gibt es eine Untersuchung beim Gesundheitsamt. "
        "Sie bekommen einen Brief mit dem Termin.",
        hours="appointment",
        bring="Vorsorgeheft (Gelbes Heft), Impfpass, Brille falls vorhanden",
        ages=(4, 7),
        confidential=False,
    ),
    "sti-beratung": _offer(
        "Beratung und Test zu HIV und sexuell übertragbaren Infektionen",
        ["gesundheit"],
        ["jugendliche", "zugewanderte"],
        ("Gesundheitsberaterin", "Gesundheitsberater"),
        ["Anonyme und kostenlose Beratung und Tests zu HIV, Syphilis und anderen Infektionen."],
        ["Sie müssen Ihren Namen nicht nennen. Die Ergebnisse bekommen Sie persönlich."],
        [
            "Anonyme Beratung",
            "HIV-Schnelltest",
            "Tests auf Syphilis, Hepatitis und Chlamydien",
            "Information zu Schutz und Vorsorge",
        ],
        "Sie wollen einen Test auf HIV machen? Das geht bei uns. Sie müssen Ihren Namen nicht "
        "sagen. Es kostet nichts.",
        hours="consult",
        ages=(14, None),
    ),
    "fruehe-hilfen": _offer(
        "Frühe Hilfen für Familien mit Babys",
        ["familie", "schwangerschaft"],
        ["schwangere", "familien", "alleinerziehende"],
        ("Koordinatorin Frühe Hilfen", "Koordinator Frühe Hilfen"),
        [
            "Unterstützung rund um Schwangerschaft und die ersten drei Lebensjahre – von der "
            "Familienhebamme bis zur Elternbegleitung."
        ],
        [
            "Frühe Hilfen sind freiwillig und kostenlos. Sie richten sich an alle werdenden und "
            "jungen Eltern, besonders in belastenden Lebenslagen."
        ],
        [
            "Besuche durch Familienhebammen",
            "Beratung zu Schlafen, Schreien und Füttern",
            "Kontakt zu Krabbelgruppen und Elterncafés",
            "Hilfe bei Anträgen rund um die Geburt",
            "Entlastung im Alltag durch Ehrenamtliche",
        ],
        "Sie bekommen ein Baby oder haben ein kleines Kind? Sie brauchen Hilfe? Wir "
        "unterstützen Sie. Das ist kostenlos.",
        ages=(0, 3),
    ),
    # Youth welfare office
    "erziehungsberatung": _offer(
        "Erziehungs- und Familienberatung",
        ["erziehung", "familie", "jugend"],
        ["familien", "alleinerziehende", "jugendliche", "kinder"],
        ("Diplom-Psychologin", "Diplom-Psychologe"),
        [
            "Beratung bei Fragen zur Erziehung, bei Konflikten in der Familie, bei Trennung und "
            "Scheidung.",
            "Wenn es in der Familie schwierig wird: Wir beraten Eltern, Kinder und Jugendliche – "
            "vertraulich und kostenlos.",
        ],
        [
            "Unser Team aus Psychologinnen, Psychologen und Sozialpädagogen berät Familien in "
            "allen Lebenslagen. Jugendliche können auch ohne ihre Eltern kommen."
        ],
        [
            "Fragen zu Entwicklung und Erziehung",
            "Konflikte zwischen Eltern und Kindern",
            "Trennung, Scheidung und Umgang",
            "Schulprobleme und Ängste",
            "Beratung für Jugendliche ohne Eltern",
            "Gruppen für Kinder aus Trennungsfamilien",
        ],
        "Es gibt Streit in der Familie? Sie haben Fragen zur Erziehung? Wir beraten Sie. Auch "
        "Kinder und Jugendliche können allein kommen.",
        ages=(0, 27),
    ),
    "kindertagespflege": _offer(
        "Vermittlung von Kita-Plätzen und Kindertagespflege",
        ["kinderbetreuung"],
        ["familien", "alleinerziehende", "kinder"],
        ("Fachberaterin Kindertagespflege", "Fachberater Kindertagespflege"),
        [
            "Wir beraten Eltern zur Betreuung ihrer Kinder und vermitteln Plätze bei "
            "Tagesmüttern und Tagesvätern."
        ],
        [
            "Ab dem ersten Geburtstag hat jedes Kind Anspruch auf einen Betreuungsplatz. Wir "
            "helfen Ihnen, einen passenden Platz zu finden."
        ],
        [
            "Überblick über Kitas und Tagespflege im Landkreis",
            "Vermittlung an Tagesmütter und Tagesväter",
            "Antrag auf Übernahme der Betreuungskosten",
            "Beratung zum Rechtsanspruch",
        ],
        "Sie suchen eine Kita oder eine Tagesmutter für Ihr Kind? Wir helfen Ihnen dabei.",
        hours="office",
        ages=(0, 6),
        confidential=False,
        fee="Elternbeiträge je nach Einkommen; Übernahme durch das Jugendamt möglich",
    ),
    "unterhaltsvorschuss": _offer(
        "Unterhaltsvorschuss",
        ["existenzsicherung", "familie"],
        ["alleinerziehende", "kinder"],
        ("Sachbearbeiterin Unterhaltsvorschuss", "Sachbearbeiter Unterhaltsvorschuss"),
        ["Wenn der andere Elternteil keinen oder zu wenig Unterhalt zahlt, springt der Staat ein."],
        [
            "Unterhaltsvorschuss gibt es für Kinder bis 18 Jahre, die bei einem alleinerziehenden "
            "Elternteil leben."
        ],
        [
            "Antrag auf Unterhaltsvorschuss",
            "Beratung zur Anrechnung von Kindergeld",
            "Zusammenarbeit mit dem Jobcenter",
            "Rückforderung beim anderen Elternteil",
        ],
        "Der Vater oder die Mutter Ihres Kindes zahlt keinen Unterhalt? Dann bekommen Sie Geld "
        "vom Jugendamt.",
        hours="office",
        ages=(0, 17),
        bring=f"{BRING_ID}, Geburtsurkunde des Kindes",
    ),
    "beistandschaft": _offer(
        "Beistandschaft und Beurkundungen",
        ["familie", "rechtsberatung"],
        ["alleinerziehende", "familien"],
        ("Beiständin", "Beistand"),
        [
            "Hilfe bei der Feststellung der Vaterschaft und beim Geltendmachen von "
            "Kindesunterhalt; kostenlose Beurkundungen."
        ],
        ["Eine Beistandschaft ist freiwillig und kann jederzeit beendet werden."],
        [
            "Vaterschaftsanerkennung",
            "Sorgeerklärungen",
            "Berechnung von Kindesunterhalt",
            "Durchsetzung von Unterhaltsansprüchen",
        ],
        "Sie brauchen Hilfe beim Unterhalt für Ihr Kind? Das Jugendamt hilft Ihnen.",
        hours="appointment",
        bring=f"{BRING_ID}, Geburtsurkunde des Kindes",
    ),
    # Social welfare office
    "grundsicherung-alter": _offer(
        "Grundsicherung im Alter und bei Erwerbsminderung",
        ["grundsicherung-alter", "rente"],
        ["aeltere-menschen", "menschen-mit-behinderung", "geringes-einkommen"],
        ("Sachbearbeiterin Grundsicherung", "Sachbearbeiter Grundsicherung"),
        ["Reicht die Rente nicht zum Leben? Die Grundsicherung stockt kleine Renten auf."],
        [
            "Grundsicherung bekommen Menschen ab der Regelaltersgrenze und dauerhaft voll "
            "erwerbsgeminderte Menschen, deren Einkommen nicht reicht. Kinder müssen in der "
            "Regel nicht dafür aufkommen."
        ],
        [
            "Prüfung Ihres Anspruchs",
            "Hilfe beim Antrag",
            "Übernahme von Miete und Heizung",
            "Mehrbedarf bei Krankheit oder Behinderung",
            "Weiterbewilligung",
        ],
        "Ihre Rente ist zu klein? Sie können mehr Geld bekommen. Stellen Sie einen Antrag.",
        hours="office",
        bring=f"{BRING_ID}, Rentenbescheid, {BRING_RENT}, Kontoauszüge",
        ages=(18, None),
    ),
    "hilfe-zur-pflege": _offer(
        "Hilfe zur Pflege",
        ["pflege", "existenzsicherung"],
        ["aeltere-menschen", "pflegende-angehoerige", "geringes-einkommen"],
        ("Sachbearbeiterin Hilfe zur Pflege", "Sachbearbeiter Hilfe zur Pflege"),
        [
            "Wenn Pflegekasse und eigenes Geld nicht reichen, übernimmt das Sozialamt Kosten der "
            "Pflege zu Hause oder im Heim."
        ],
        [
            "Hilfe zur Pflege ist eine Leistung der Sozialhilfe. Wir prüfen, welche Kosten "
            "übernommen werden können."
        ],
        [
            "Kosten im Pflegeheim",
            "Pflege zu Hause über die Pflegeversicherung hinaus",
            "Barbetrag für persönliche Ausgaben",
            "Schonvermögen und Unterhalt von Kindern",
        ],
        "Das Geld für die Pflege reicht nicht? Das Sozialamt kann helfen.",
        hours="appointment",
        bring=f"{BRING_ID}, Bescheid der Pflegekasse, Kontoauszüge",
    ),
    "eingliederungshilfe": _offer(
        "Eingliederungshilfe für Menschen mit Behinderung",
        ["behinderung"],
        ["menschen-mit-behinderung"],
        ("Fallmanagerin Eingliederungshilfe", "Fallmanager Eingliederungshilfe"),
        [
            "Leistungen zur Teilhabe am Leben in der Gemeinschaft: Assistenz, Wohnen, Arbeit und "
            "Bildung."
        ],
        [
            "Gemeinsam mit Ihnen ermitteln wir in einem Gesamtplanverfahren, welche Unterstützung "
            "Sie brauchen."
        ],
        [
            "Assistenz im Alltag",
            "Betreutes Wohnen",
            "Schulbegleitung",
            "Werkstatt und Budget für Arbeit",
            "Persönliches Budget",
        ],
        "Sie haben eine Behinderung und brauchen Hilfe im Alltag? Wir planen die Hilfe "
        "zusammen mit Ihnen.",
        hours="appointment",
        languages=["gsg"],
    ),
    # Care
    "pflegeberatung": _offer(
        "Pflegeberatung",
        ["pflegeberatung", "pflege"],
        ["pflegende-angehoerige", "aeltere-menschen"],
        ("Pflegeberaterin", "Pflegeberater"),
        [
            "Neutrale Beratung rund um Pflege: Pflegegrad, Leistungen der Pflegekasse, Hilfen zu "
            "Hause und Entlastung für Angehörige.",
            "Ihr Vater oder Ihre Mutter braucht plötzlich Pflege? Wir beraten Sie unabhängig und "
            "kostenlos – auch bei Ihnen zu Hause.",
        ],
        [
            "Im Pflegestützpunkt arbeiten Pflege- und Sozialberatung zusammen. Wir kennen die "
            "Angebote im ganzen Landkreis und helfen, die Pflege zu organisieren."
        ],
        [
            "Antrag auf einen Pflegegrad",
            "Vorbereitung auf die Begutachtung",
            "Leistungen der Pflegeversicherung",
            "Entlastungsbetrag und Verhinderungspflege",
            "Pflegedienste, Tagespflege und Kurzzeitpflege",
            "Hausbesuche",
        ],
        "Jemand in Ihrer Familie braucht Pflege? Wir beraten Sie. Wir kommen auch zu Ihnen "
        "nach Hause. Das kostet nichts.",
        bring="Bescheid der Pflegekasse, falls vorhanden; Liste der Medikamente",
    ),
    "pflegeberatung-mobil": _offer(
        "Pflegeberatung vor Ort – Sprechstunde im Rathaus",
        ["pflegeberatung", "alter"],
        ["pflegende-angehoerige", "aeltere-menschen"],
        ("Pflegeberaterin", "Pflegeberater"),
        [
            "Der Pflegestützpunkt berät jeden Mittwochvormittag in einem anderen Rathaus – ohne "
            "Anmeldung und ohne weite Wege."
        ],
        [
            "Wer auf dem Land wohnt, soll nicht in die Kreisstadt fahren müssen. Die mobile "
            "Sprechstunde wechselt jede Woche den Ort: am ersten Mittwoch im Monat Ohmbach, am "
            "zweiten Wettertal, am dritten Hohenwald, am vierten Eichelsdorf."
        ],
        [
            "Erste Beratung zu Pflegegrad und Leistungen",
            "Hilfe bei Anträgen an die Pflegekasse",
            "Vereinbarung von Hausbesuchen",
            "Informationen zu Angeboten im Ort",
        ],
        "Der Pflegestützpunkt kommt in Ihr Rathaus. Jeden Mittwochvormittag. Jede Woche in "
        "einen anderen Ort.",
        hours="rotating",
    ),
    "pflegekurs-angehoerige": _offer(
        "Pflegekurs für Angehörige",
        ["pflegende-angehoerige", "pflege"],
        ["pflegende-angehoerige"],
        ("Pflegefachkraft", "Pflegefachkraft"),
        [
            "In vier Abenden lernen Sie, wie Sie einen Menschen zu Hause gut und rückenschonend "
            "pflegen."
        ],
        ["Der Kurs wird von den Pflegekassen bezahlt und ist für Angehörige kostenlos."],
        [
            "Lagern und Bewegen",
            "Körperpflege",
            "Umgang mit Demenz",
            "Entlastung und eigene Gesundheit",
            "Hilfsmittel",
        ],
        "Sie pflegen einen Menschen zu Hause? In diesem Kurs lernen Sie, wie es leichter geht.",
        hours="group",
        apply="Bitte melden Sie sich vorher an; die Plätze sind begrenzt.",
        confidential=False,
    ),
    "wohnberatung-alter": _offer(
        "Wohnberatung – barrierefrei wohnen",
        ["alter", "wohnen", "behinderung"],
        ["aeltere-menschen", "menschen-mit-behinderung"],
        ("Wohnberaterin", "Wohnberater"),
        [
            "Wir kommen zu Ihnen nach Hause und zeigen, wie die Wohnung sicherer und bequemer "
            "wird – und wer den Umbau bezahlt."
        ],
        ["Oft helfen schon kleine Änderungen: ein Haltegriff, eine Rampe, eine andere Dusche."],
        [
            "Hausbesuch mit Begehung der Wohnung",
            "Vorschläge für Umbauten und Hilfsmittel",
            "Zuschüsse der Pflegekasse bis 4.180 Euro",
            "Kontakt zu Handwerksbetrieben",
        ],
        "Ihre Wohnung ist zu eng oder hat Stufen? Wir beraten Sie, was man ändern kann.",
        hours="care",
    ),
    "ambulanter-pflegedienst": _offer(
        "Ambulanter Pflegedienst",
        ["ambulante-pflege", "pflege"],
        ["aeltere-menschen", "pflegende-angehoerige"],
        ("Pflegedienstleiterin", "Pflegedienstleiter"),
        ["Pflege, Hilfe im Haushalt und Betreuung bei Ihnen zu Hause – auch am Wochenende."],
        [
            "Unsere Pflegefachkräfte kommen zu Ihnen nach Hause. Wir rechnen direkt mit der "
            "Pflegekasse und der Krankenkasse ab."
        ],
        [
            "Grundpflege und Behandlungspflege",
            "Hilfe im Haushalt",
            "Betreuung bei Demenz",
            "Verhinderungspflege",
            "Beratungsbesuche nach § 37 Abs. 3 SGB XI",
        ],
        "Sie brauchen Hilfe bei der Pflege zu Hause? Unser Pflegedienst kommt zu Ihnen.",
        hours="care",
        fee="Abrechnung mit Pflege- und Krankenkasse; Eigenanteil nach Vertrag",
        confidential=False,
    ),
    "gespraechskreis-angehoerige": _offer(
        "Gesprächskreis für pflegende Angehörige",
        ["pflegende-angehoerige"],
        ["pflegende-angehoerige"],
        ("Sozialpädagogin", "Sozialpädagoge"),
        [
            "Austausch unter Menschen, die einen Angehörigen pflegen – begleitet von einer "
            "Fachkraft."
        ],
        ["Im Gesprächskreis ist Platz für Sorgen, Fragen und gute Tipps aus dem Alltag."],
        [
            "Austausch mit anderen Angehörigen",
            "Fachliche Begleitung",
            "Informationen zu Entlastungsangeboten",
            "Betreuung der Pflegebedürftigen während des Treffens nach Absprache",
        ],
        "Sie pflegen einen Menschen? Treffen Sie andere Menschen, denen es genauso geht.",
        hours="group",
    ),
    "wohnungsnotfallhilfe": _offer(
        "Hilfe bei drohendem Wohnungsverlust",
        ["wohnungsnotfall", "wohnen"],
        ["wohnungslose", "geringes-einkommen", "familien"],
        ("Sozialarbeiterin Wohnungsnotfallhilfe", "Sozialarbeiter Wohnungsnotfallhilfe"),
        [
            "Kündigung, Räumungsklage oder keine Wohnung mehr? Melden Sie sich so früh wie "
            "möglich – wir suchen mit Ihnen eine Lösung."
        ],
        [
            "Je früher Sie kommen, desto eher lässt sich die Wohnung retten. Wir arbeiten eng mit "
            "Vermietern, dem Jobcenter und dem Amtsgericht zusammen."
        ],
        [
            "Beratung bei Kündigung und Räumungsklage",
            "Verhandlung mit Vermietern",
            "Vermittlung in eine Notunterkunft",
            "Hilfe bei der Wohnungssuche",
            "Postadresse für Menschen ohne Wohnung",
        ],
        "Sie sollen Ihre Wohnung verlieren? Kommen Sie sofort zu uns. Wir helfen Ihnen.",
        bring=f"Kündigung oder Schreiben des Gerichts, {BRING_RENT}",
    ),
    "mietschulden": _offer(
        "Übernahme von Mietschulden",
        ["wohnungsnotfall", "schulden"],
        ["geringes-einkommen", "familien"],
        ("Sachbearbeiterin Mietschulden", "Sachbearbeiter Mietschulden"),
        [
            "Wir prüfen, ob Mietrückstände als Darlehen übernommen werden können, damit Sie Ihre "
            "Wohnung behalten."
        ],
        ["Die Übernahme von Mietschulden ist möglich, wenn sonst Wohnungslosigkeit droht."],
        [
            "Prüfung der Voraussetzungen",
            "Antrag auf Darlehen",
            "Absprache mit dem Vermieter",
            "Ratenzahlung",
        ],
        "Sie haben Schulden bei der Miete? Vielleicht zahlt das Amt. Fragen Sie uns.",
        hours="office",
        bring=f"{BRING_RENT}, Mahnungen des Vermieters, {BRING_INCOME}",
    ),
    # Job centre
    "buergergeld": _offer(
        "Bürgergeld beantragen",
        ["buergergeld", "existenzsicherung"],
        ["arbeitsuchende", "geringes-einkommen", "alleinerziehende"],
        ("Sachbearbeiterin Leistungsgewährung", "Sachbearbeiter Leistungsgewährung"),
        [
            "Antrag, Weiterbewilligung und Fragen zum Bürgergeld (früher Hartz IV) – auch wenn "
            "Sie arbeiten und das Geld nicht reicht."
        ],
        [
            "Bürgergeld sichert den Lebensunterhalt von erwerbsfähigen Menschen und ihren "
            "Familien. Auch wer arbeitet, kann ergänzend Bürgergeld bekommen."
        ],
        [
            "Erstantrag und Weiterbewilligung",
            "Kosten der Unterkunft und Heizung",
            "Mehrbedarfe, etwa für Alleinerziehende",
            "Einmalige Leistungen wie Erstausstattung",
            "Fragen zu Bescheiden",
        ],
        "Sie haben kein Geld zum Leben? Sie können Bürgergeld bekommen. Das Jobcenter hilft "
        "Ihnen beim Antrag.",
        hours="office",
        bring=f"{BRING_ID}, {BRING_RENT}, Kontoauszüge der letzten drei Monate",
        ages=(15, 67),
        confidential=False,
        languages=["en", "tr", "ar", "uk"],
    ),
    "arbeitsvermittlung": _offer(
        "Arbeitsvermittlung und Integrationscoaching",
        ["arbeitssuche", "arbeit-ausbildung"],
        ["arbeitsuchende"],
        ("Integrationsfachkraft", "Integrationsfachkraft"),
        [
            "Gemeinsam finden wir den passenden Job – mit Bewerbungshilfe, Qualifizierung und "
            "Kontakten zu Betrieben in der Region."
        ],
        ["Ihre persönliche Ansprechperson im Jobcenter begleitet Sie auf dem Weg in Arbeit."],
        [
            "Stellenangebote aus der Region",
            "Bewerbungsunterlagen",
            "Qualifizierung und Kurse",
            "Förderung bei Arbeitsaufnahme",
            "Coaching bei gesundheitlichen Einschränkungen",
        ],
        "Sie suchen Arbeit? Wir helfen Ihnen, eine Stelle zu finden.",
        hours="appointment",
        confidential=False,
    ),
    "jugendberufsagentur": _offer(
        "Jugendberufsagentur – alles für unter 25-Jährige",
        ["ausbildung-beruf", "jugend"],
        ["jugendliche"],
        ("Berufsberaterin", "Berufsberater"),
        [
            "Jobcenter, Arbeitsagentur und Jugendhilfe unter einem Dach: Beratung zu Ausbildung, "
            "Schule und Job für junge Menschen."
        ],
        ["In der Jugendberufsagentur müssen junge Menschen nicht von Amt zu Amt laufen."],
        [
            "Ausbildungsplatzsuche",
            "Schulabschluss nachholen",
            "Bewerbungstraining",
            "Geld während der Ausbildung",
            "Hilfe bei Problemen zu Hause",
        ],
        "Du bist unter 25 und suchst eine Ausbildung oder einen Job? Komm vorbei.",
        hours="consult",
        ages=(15, 25),
    ),
    "coaching-alleinerziehende": _offer(
        "Coaching für Alleinerziehende",
        ["arbeitssuche", "kinderbetreuung"],
        ["alleinerziehende", "arbeitsuchende"],
        ("Coachin", "Coach"),
        [
            "Beruf und Kind unter einen Hut bringen: Coaching, Teilzeitausbildung und "
            "Kinderbetreuung aus einer Hand."
        ],
        [
            "Das Coaching findet in kleinen Gruppen und Einzelgesprächen statt – zu Zeiten, die "
            "zur Kita passen."
        ],
        [
            "Berufliche Ziele klären",
            "Teilzeitausbildung",
            "Organisation der Kinderbetreuung",
            "Bewerbung und Vorstellungsgespräch",
        ],
        "Sie sind allein mit Ihrem Kind und suchen Arbeit? Wir helfen Ihnen.",
        hours="group",
    ),
    "bewerbungswerkstatt": _offer(
        "Bewerbungswerkstatt",
        ["arbeitssuche"],
        ["arbeitsuchende", "zugewanderte"],
        ("Jobcoachin", "Jobcoach"),
        ["Lebenslauf, Anschreiben, Online-Bewerbung: Wir helfen Ihnen am Computer – ohne Termin."],
        ["In der Bewerbungswerkstatt stehen Computer, Drucker und Scanner bereit."],
        [
            "Lebenslauf erstellen",
            "Anschreiben formulieren",
            "Online-Bewerbung versenden",
            "Bewerbungsfotos",
            "Übung für das Vorstellungsgespräch",
        ],
        "Sie schreiben eine Bewerbung? Wir helfen Ihnen dabei. Sie können einfach kommen.",
        hours="group",
        bring="Zeugnisse und einen USB-Stick",
        confidential=False,
    ),
    # Employment agency
    "berufsberatung": _offer(
        "Berufsberatung",
        ["ausbildung-beruf", "arbeit-ausbildung"],
        ["jugendliche"],
        ("Berufsberaterin", "Berufsberater"),
        [
            "Welcher Beruf passt zu mir? Berufsberatung für Schülerinnen, Schüler und junge "
            "Erwachsene – auch zum Studium."
        ],
        ["Die Berufsberatung kommt auch in die Schulen im Landkreis."],
        [
            "Berufsorientierung und Tests",
            "Ausbildung oder Studium",
            "Vermittlung von Ausbildungsplätzen",
            "Berufsausbildungsbeihilfe",
        ],
        "Du weißt nicht, welcher Beruf zu dir passt? Wir beraten dich.",
        hours="appointment",
        ages=(14, 27),
        confidential=False,
    ),
    "arbeitslos-melden": _offer(
        "Arbeitslos melden und Arbeitslosengeld",
        ["arbeitssuche", "existenzsicherung"],
        ["arbeitsuchende"],
        ("Arbeitsvermittlerin", "Arbeitsvermittler"),
        [
            "Melden Sie sich spätestens drei Monate vor Ende Ihres Jobs arbeitsuchend – sonst "
            "droht eine Sperrzeit."
        ],
        ["Sie können sich online, telefonisch oder persönlich melden."],
        [
            "Arbeitsuchend- und Arbeitslosmeldung",
            "Antrag auf Arbeitslosengeld",
            "Fragen zu Sperrzeiten",
            "Vermittlung in Arbeit",
        ],
        "Sie verlieren Ihre Arbeit? Melden Sie sich früh bei uns.",
        hours="office",
        bring=f"{BRING_ID}, Kündigung, Arbeitsvertrag",
        confidential=False,
    ),
    "weiterbildungsberatung": _offer(
        "Weiterbildungsberatung",
        ["weiterbildung"],
        ["arbeitsuchende"],
        ("Weiterbildungsberaterin", "Weiterbildungsberater"),
        [
            "Umschulung, Teilqualifizierung, Berufsabschluss nachholen: Wir prüfen Förderung "
            "mit dem Bildungsgutschein."
        ],
        ["Auch Beschäftigte können sich beraten lassen."],
        [
            "Bildungsgutschein",
            "Berufsabschluss für Erwachsene",
            "Anerkennung ausländischer Abschlüsse",
            "Weiterbildung im Job",
        ],
        "Sie wollen etwas Neues lernen oder einen Abschluss machen? Wir beraten Sie.",
        hours="appointment",
        confidential=False,
    ),
    "reha-berufliche-teilhabe": _offer(
        "Berufliche Rehabilitation",
        ["behinderung", "arbeit-ausbildung", "reha-kur"],
        ["menschen-mit-behinderung", "arbeitsuchende"],
        ("Reha-Beraterin", "Reha-Berater"),
        [
            "Sie können wegen Krankheit oder Behinderung Ihren Beruf nicht mehr ausüben? Wir "
            "beraten zur beruflichen Rehabilitation."
        ],
        [
            "Die Beratung umfasst Umschulungen, Hilfsmittel am Arbeitsplatz und Zuschüsse für "
            "Arbeitgeber."
        ],
        [
            "Umschulung",
            "Hilfen am Arbeitsplatz",
            "Unterstützte Beschäftigung",
            "Zuschüsse für Arbeitgeber",
        ],
        "Sie sind krank und können Ihren Beruf nicht mehr machen? Wir beraten Sie.",
        hours="appointment",
        languages=["gsg"],
    ),
    # Pension insurance
    "rententelefon": _offer(
        "Servicetelefon der Rentenversicherung",
        ["rente"],
        ["aeltere-menschen"],
        ("Servicemitarbeiterin", "Servicemitarbeiter"),
        ["Kostenlose telefonische Auskunft zu Rente, Reha und Versicherungskonto."],
        [
            "Das Servicetelefon beantwortet allgemeine Fragen und vereinbart Termine in den "
            "Beratungsstellen."
        ],
        [
            "Allgemeine Auskünfte",
            "Terminvereinbarung",
            "Formulare anfordern",
            "Fragen zum Versicherungsverlauf",
        ],
        "Sie haben eine Frage zur Rente? Rufen Sie an. Der Anruf kostet nichts.",
        hours="phone",
        confidential=False,
    ),
    "rentenberatung": _offer(
        "Rentenberatung",
        ["rente"],
        ["aeltere-menschen"],
        ("Rentenberaterin", "Rentenberater"),
        [
            "Wann kann ich in Rente gehen und wie viel bekomme ich? Persönliche Beratung zu "
            "allen Rentenarten."
        ],
        ["Wir klären Ihr Versicherungskonto und zeigen, welche Zeiten noch fehlen."],
        [
            "Altersrente und Rentenbeginn",
            "Erwerbsminderungsrente",
            "Hinterbliebenenrente",
            "Kontenklärung",
            "Hinzuverdienst",
        ],
        "Sie wollen wissen, wann Sie in Rente gehen können? Wir beraten Sie.",
        hours="appointment",
        bring=f"{BRING_ID}, Rentenversicherungsnummer, Renteninformation",
        confidential=False,
    ),
    "rentenantrag": _offer(
        "Rentenantrag stellen",
        ["rente", "antraege"],
        ["aeltere-menschen"],
        ("Sachbearbeiterin Rentenantrag", "Sachbearbeiter Rentenantrag"),
        ["Wir nehmen Ihren Rentenantrag auf und prüfen, ob alle Unterlagen vollständig sind."],
        ["Stellen Sie den Antrag etwa drei Monate vor dem gewünschten Rentenbeginn."],
        [
            "Aufnahme des Antrags",
            "Prüfung der Unterlagen",
            "Krankenversicherung der Rentner",
            "Beglaubigungen",
        ],
        "Sie wollen Rente bekommen? Dafür brauchen Sie einen Antrag. Wir helfen Ihnen.",
        hours="appointment",
        bring=f"{BRING_ID}, Bankverbindung, Nachweise über Kindererziehung",
        confidential=False,
    ),
    "reha-kur": _offer(
        "Beratung zu Reha und Kur",
        ["reha-kur", "gesundheit"],
        ["aeltere-menschen"],
        ("Reha-Fachberaterin", "Reha-Fachberater"),
        [
            "Medizinische Rehabilitation, Anschlussheilbehandlung und Nachsorge: Wir beraten zum "
            "Antrag."
        ],
        ["Eine Reha soll helfen, dass Sie weiter arbeiten können."],
        [
            "Medizinische Reha",
            "Anschlussheilbehandlung",
            "Kinder-Reha",
            "Nachsorgeprogramme",
            "Übergangsgeld",
        ],
        "Sie brauchen eine Reha oder Kur? Wir beraten Sie zum Antrag.",
        hours="appointment",
        confidential=False,
    ),
    "versichertenberatung": _offer(
        "Sprechstunde der Versichertenberatung",
        ["rente", "antraege"],
        ["aeltere-menschen"],
        ("Versichertenberaterin", "Versichertenberater"),
        [
            "Ehrenamtliche Versichertenberaterinnen und -berater helfen wohnortnah bei "
            "Rentenanträgen und Kontenklärung."
        ],
        ["Die Versichertenberatung ist ehrenamtlich und kostenlos."],
        ["Rentenanträge", "Kontenklärung", "Anträge auf Reha", "Formulare der Rentenversicherung"],
        "Sie brauchen Hilfe beim Rentenantrag? Es gibt Hilfe in Ihrem Ort.",
        hours="group",
        bring=f"{BRING_ID}, Rentenversicherungsnummer",
    ),
    # Welfare associations
    "migrationsberatung": _offer(
        "Migrationsberatung für Erwachsene",
        ["migration", "aufenthalt-asyl"],
        ["zugewanderte"],
        ("Migrationsberaterin", "Migrationsberater"),
        [
            "Beratung für Zugewanderte ab 27 Jahren: Sprachkurse, Anerkennung von Abschlüssen, "
            "Arbeit, Wohnen und Aufenthalt.",
            "Neu in Deutschland? Wir begleiten Sie in den ersten Jahren – bei Behörden, Kursen "
            "und Alltagsfragen.",
        ],
        [
            "Die Migrationsberatung für erwachsene Zugewanderte (MBE) wird vom Bund gefördert. "
            "Wir beraten auf Deutsch und in weiteren Sprachen."
        ],
        [
            "Integrationskurse und Sprachkurse",
            "Anerkennung von Abschlüssen",
            "Fragen zum Aufenthalt",
            "Arbeit und Ausbildung",
            "Familiennachzug",
            "Kontakt zu Ämtern",
        ],
        "Sie sind neu in Deutschland? Sie haben Fragen? Wir beraten Sie. Auch in Ihrer Sprache.",
        ages=(27, None),
        languages=["en", "ar", "tr", "uk", "fa", "ru"],
    ),
    "jugendmigrationsdienst": _offer(
        "Jugendmigrationsdienst",
        ["migration", "jugend", "ausbildung-beruf"],
        ["zugewanderte", "jugendliche"],
        ("Sozialpädagogin", "Sozialpädagoge"),
        ["Begleitung für junge Zugewanderte von 12 bis 27 Jahren in Schule, Ausbildung und Beruf."],
        ["Der Jugendmigrationsdienst hilft jungen Menschen, in Deutschland anzukommen."],
        [
            "Schule und Schulabschluss",
            "Ausbildung und Praktikum",
            "Sprachkurse",
            "Freizeit und Kontakte",
            "Fragen zum Aufenthalt",
        ],
        "Du bist jung und neu in Deutschland? Wir helfen dir bei Schule und Ausbildung.",
        ages=(12, 27),
        languages=["en", "ar", "fa", "uk"],
    ),
    "schuldnerberatung": _offer(
        "Schuldner- und Insolvenzberatung",
        ["schulden", "insolvenz"],
        ["geringes-einkommen", "familien"],
        ("Schuldnerberaterin", "Schuldnerberater"),
        [
            "Wir verschaffen Ihnen einen Überblick über Ihre Schulden und suchen mit Ihnen einen "
            "Weg heraus – vertraulich und kostenlos.",
            "Mahnungen, Inkasso, Pfändung? Wir beraten Sie und begleiten Sie, wenn nötig, bis "
            "zur Privatinsolvenz.",
        ],
        [
            "Wir sind eine anerkannte Stelle für die Verbraucherinsolvenz. Gemeinsam sichern wir "
            "zuerst das Nötigste – Wohnung, Energie und Konto – und verhandeln dann mit den "
            "Gläubigern."
        ],
        [
            "Überblick über alle Schulden und Gläubiger",
            "Haushaltsplan",
            "Pfändungsschutzkonto (P-Konto)",
            "Verhandlungen mit Gläubigern",
            "Außergerichtlicher Einigungsversuch",
            "Begleitung im Insolvenzverfahren",
        ],
        "Sie haben Schulden? Sie bekommen viele Mahnungen? Wir helfen Ihnen. Die Beratung "
        "kostet nichts.",
        bring=f"{BRING_ID}, alle Mahnungen und Forderungsschreiben, {BRING_INCOME}",
    ),
    "seniorenberatung": _offer(
        "Seniorenberatung",
        ["alter", "pflege"],
        ["aeltere-menschen", "pflegende-angehoerige"],
        ("Seniorenberaterin", "Seniorenberater"),
        [
            "Beratung für ältere Menschen und ihre Angehörigen: Hilfen im Alltag, Wohnen im "
            "Alter, Vorsorge und Freizeit."
        ],
        ["Wir besuchen Sie auf Wunsch auch zu Hause."],
        [
            "Hilfen im Haushalt",
            "Vorsorgevollmacht und Patientenverfügung",
            "Wohnen im Alter",
            "Treffpunkte und Freizeit",
            "Einsamkeit",
        ],
        "Sie sind älter und brauchen Hilfe im Alltag? Wir beraten Sie gern.",
        hours="appointment",
    ),
    "essen-auf-raedern": _offer(
        "Essen auf Rädern",
        ["alter", "ambulante-pflege"],
        ["aeltere-menschen"],
        ("Koordinatorin Menüservice", "Koordinator Menüservice"),
        [
            "Warmes Mittagessen täglich an die Haustür – auch Schonkost, vegetarisch und "
            "für Diabetiker."
        ],
        [
            "Sie können täglich wählen oder feste Tage vereinbaren. Ein kurzes Gespräch an der "
            "Tür gehört dazu."
        ],
        [
            "Warmes Mittagessen",
            "Diät- und Schonkost",
            "Lieferung auch am Wochenende",
            "Tiefkühlmenüs für mehrere Tage",
        ],
        "Sie können nicht mehr selbst kochen? Wir bringen Ihnen jeden Tag warmes Essen.",
        hours="care",
        fee="8,20 € pro Menü; Zuschuss über das Sozialamt möglich",
        confidential=False,
    ),
    "kita": _offer(
        "Kindertagesstätte",
        ["kinderbetreuung"],
        ["familien", "kinder"],
        ("Kita-Leiterin", "Kita-Leiter"),
        ["Betreuung für Kinder von einem Jahr bis zur Einschulung, ganztags mit Mittagessen."],
        ["Unsere Kita arbeitet nach einem offenen Konzept mit Sprachförderung."],
        [
            "Krippe ab einem Jahr",
            "Ganztagsbetreuung",
            "Sprachförderung",
            "Mittagessen aus eigener Küche",
        ],
        "Sie suchen eine Kita für Ihr Kind? Melden Sie Ihr Kind bei uns an.",
        hours="daily",
        ages=(1, 6),
        confidential=False,
        fee="Elternbeitrag nach Satzung der Stadt; ab drei Jahren sechs Stunden beitragsfrei",
    ),
    "kasa": _offer(
        "Allgemeine Lebens- und Sozialberatung",
        ["existenzsicherung", "familie"],
        ["geringes-einkommen", "familien"],
        ("Sozialarbeiterin", "Sozialarbeiter"),
        [
            "Offene Beratung für alle Menschen in schwierigen Lebenslagen – unabhängig von "
            "Religion und Herkunft."
        ],
        [
            "Die Kirchliche Allgemeine Sozialarbeit (KASA) ist oft die erste Anlaufstelle, wenn "
            "mehrere Probleme zusammenkommen."
        ],
        [
            "Geldsorgen und Anträge",
            "Probleme in Familie und Partnerschaft",
            "Einsamkeit und Krisen",
            "Vermittlung an Fachdienste",
            "Einzelfallhilfen aus Spendenmitteln",
        ],
        "Sie haben Probleme und wissen nicht weiter? Kommen Sie zu uns.",
    ),
    "schwangerschaftsberatung": _offer(
        "Schwangerschaftsberatung",
        ["schwangerschaft", "familie"],
        ["schwangere", "frauen", "familien"],
        ("Beraterin für Schwangerschaftsfragen", "Berater für Schwangerschaftsfragen"),
        [
            "Beratung während der Schwangerschaft und nach der Geburt – zu Geld, Rechten, "
            "Partnerschaft und Konflikten."
        ],
        ["Wir helfen bei Anträgen auf Elterngeld und Mittel der Bundesstiftung Mutter und Kind."],
        [
            "Elterngeld und Kindergeld",
            "Bundesstiftung Mutter und Kind",
            "Rechte im Job",
            "Vorbereitung auf die Geburt",
            "Konflikte in der Schwangerschaft",
        ],
        "Sie sind schwanger? Sie haben Fragen? Wir beraten Sie.",
        languages=["en", "ar"],
    ),
    "suchtberatung": _offer(
        "Suchtberatung",
        ["sucht", "psychische-gesundheit"],
        ["suchtkranke"],
        ("Suchtberaterin", "Suchtberater"),
        [
            "Beratung bei Problemen mit Alkohol, Drogen, Medikamenten, Glücksspiel und Medien – "
            "auch für Angehörige.",
            "Sie trinken zu viel oder machen sich Sorgen um einen Menschen? Wir beraten Sie "
            "vertraulich.",
        ],
        [
            "Unsere Fachstelle vermittelt in Entgiftung, Therapie und Selbsthilfe und begleitet "
            "die Nachsorge."
        ],
        [
            "Offene Sprechstunde",
            "Vermittlung in Entgiftung und Therapie",
            "Ambulante Rehabilitation",
            "Gruppen für Angehörige",
            "Nachsorge",
        ],
        "Sie haben ein Problem mit Alkohol oder Drogen? Wir helfen Ihnen. Alles bleibt geheim.",
        ages=(14, None),
    ),
    "tagesaufenthalt": _offer(
        "Tagesaufenthalt für wohnungslose Menschen",
        ["wohnungsnotfall", "grundbedarf"],
        ["wohnungslose"],
        ("Sozialarbeiterin Wohnungslosenhilfe", "Sozialarbeiter Wohnungslosenhilfe"),
        ["Ein warmer Ort am Tag: Frühstück, Dusche, Waschmaschine, Postadresse und Beratung."],
        ["Der Tagesaufenthalt ist offen für alle Menschen ohne Wohnung."],
        [
            "Frühstück und warme Getränke",
            "Dusche und Waschmaschine",
            "Postadresse",
            "Beratung",
            "Kleiderkammer",
        ],
        "Sie haben keine Wohnung? Bei uns können Sie duschen, essen und Wäsche waschen.",
        hours="daily",
        apply="Kommen Sie einfach vorbei.",
        bring="",
    ),
    "fluechtlingsberatung": _offer(
        "Flüchtlings- und Asylverfahrensberatung",
        ["aufenthalt-asyl", "migration"],
        ["zugewanderte"],
        ("Flüchtlingsberaterin", "Flüchtlingsberater"),
        ["Unabhängige Beratung im Asylverfahren und zu Fragen des Aufenthalts."],
        ["Wir bereiten Sie auf die Anhörung vor und erklären Bescheide."],
        [
            "Vorbereitung auf die Anhörung",
            "Erklärung von Bescheiden",
            "Familiennachzug",
            "Vermittlung an Anwältinnen und Anwälte",
            "Duldung und Bleiberecht",
        ],
        "Sie haben Asyl beantragt? Wir beraten Sie. Wir sind unabhängig.",
        languages=["en", "ar", "fa", "ti", "ku", "fr"],
    ),
    "erziehungsberatung-caritas": None,  # placeholder removed below
    "kurberatung": _offer(
        "Kurberatung für Mütter und Väter",
        ["reha-kur", "familie"],
        ["familien", "alleinerziehende"],
        ("Kurberaterin", "Kurberater"),
        ["Erschöpft? Wir beraten zu Mutter-Kind- und Vater-Kind-Kuren und helfen beim Antrag."],
        ["Die Krankenkasse zahlt eine Kur, wenn sie medizinisch nötig ist."],
        [
            "Beratung zu Kurarten",
            "Antrag bei der Krankenkasse",
            "Auswahl der Klinik",
            "Widerspruch bei Ablehnung",
            "Nachsorge",
        ],
        "Sie sind sehr müde und erschöpft? Sie können mit Ihrem Kind zur Kur fahren.",
        hours="appointment",
    ),
    "betreuungsverein": _offer(
        "Betreuungsverein – Vorsorgevollmacht und rechtliche Betreuung",
        ["rechtsberatung", "alter"],
        ["aeltere-menschen", "menschen-mit-behinderung", "fachkraefte"],
        ("Vereinsbetreuerin", "Vereinsbetreuer"),
        [
            "Informationen zu Vorsorgevollmacht, Patientenverfügung und rechtlicher Betreuung; "
            "Begleitung ehrenamtlicher Betreuer."
        ],
        ["Mit einer Vorsorgevollmacht bestimmen Sie selbst, wer für Sie entscheidet."],
        [
            "Vorsorgevollmacht und Betreuungsverfügung",
            "Patientenverfügung",
            "Beratung für ehrenamtliche Betreuerinnen und Betreuer",
            "Infoabende",
        ],
        "Wer entscheidet für Sie, wenn Sie krank sind? Wir erklären Ihnen die Vorsorgevollmacht.",
        hours="appointment",
    ),
    "hausnotruf": _offer(
        "Hausnotruf",
        ["alter", "ambulante-pflege"],
        ["aeltere-menschen"],
        ("Koordinatorin Hausnotruf", "Koordinator Hausnotruf"),
        ["Per Knopfdruck Hilfe rufen – rund um die Uhr, auch wenn Sie allein leben."],
        ["Bei Pflegegrad übernimmt die Pflegekasse die Grundgebühr."],
        [
            "Notrufgerät mit Funksender",
            "Hinterlegung eines Wohnungsschlüssels",
            "Einsatzdienst rund um die Uhr",
            "Mobiler Notruf für unterwegs",
        ],
        "Sie leben allein und haben Angst zu stürzen? Mit dem Hausnotruf holen Sie Hilfe.",
        hours="always",
        fee="ab 25,50 € im Monat; mit Pflegegrad zahlt die Pflegekasse",
        confidential=False,
    ),
    "erste-hilfe-kurs": _offer(
        "Erste-Hilfe-Kurs",
        ["gesundheit"],
        ["jugendliche", "fachkraefte"],
        ("Ausbilderin Erste Hilfe", "Ausbilder Erste Hilfe"),
        ["Eintägiger Kurs, gültig für Führerschein, Betriebe und Übungsleiter."],
        ["Der Kurs dauert neun Unterrichtseinheiten an einem Tag."],
        [
            "Lebensrettende Sofortmaßnahmen",
            "Wiederbelebung und Defibrillator",
            "Erste Hilfe bei Kindern",
            "Bescheinigung für den Führerschein",
        ],
        "Sie wollen lernen, wie man Menschen in Not hilft? Machen Sie einen Kurs.",
        hours="group",
        fee="60 €; für Betriebe über die Berufsgenossenschaft",
        ages=(12, None),
        confidential=False,
        apply="Anmeldung online oder telefonisch; bitte pünktlich erscheinen.",
    ),
    "suchdienst": _offer(
        "Suchdienst – Familien wiederfinden",
        ["migration", "aufenthalt-asyl"],
        ["zugewanderte"],
        ("Suchdienstberaterin", "Suchdienstberater"),
        [
            "Hilfe bei der Suche nach Angehörigen, die durch Krieg, Flucht oder Katastrophen "
            "getrennt wurden."
        ],
        [
            "Der Suchdienst arbeitet weltweit mit den Rotkreuz- und Rothalbmondgesellschaften "
            "zusammen."
        ],
        [
            "Suche nach vermissten Angehörigen",
            "Familienzusammenführung",
            "Beratung zum Familiennachzug",
            "Nachrichten an Angehörige",
        ],
        "Sie suchen einen Menschen aus Ihrer Familie? Wir helfen bei der Suche.",
        hours="appointment",
        languages=["en", "ar", "uk", "ru"],
    ),
    "kleiderladen": _offer(
        "Kleiderladen",
        ["grundbedarf"],
        ["geringes-einkommen", "familien"],
        ("Koordinatorin Kleiderladen", "Koordinator Kleiderladen"),
        ["Gut erhaltene Kleidung für Erwachsene und Kinder zu kleinen Preisen – für alle offen."],
        [
            "Der Kleiderladen wird von Ehrenamtlichen betrieben. Spenden nehmen wir zu den "
            "Öffnungszeiten an."
        ],
        [
            "Kleidung für alle Jahreszeiten",
            "Kinderkleidung",
            "Bettwäsche und Handtücher",
            "Annahme von Spenden",
        ],
        "Sie brauchen Kleidung? Im Kleiderladen ist sie günstig.",
        hours="group",
        fee="Kleine Beträge, meist 1 bis 5 € pro Stück",
        confidential=False,
        apply="Kommen Sie einfach vorbei.",
    ),
    "seniorentreff": _offer(
        "Seniorentreff",
        ["begegnung", "alter"],
        ["aeltere-menschen"],
        ("Ehrenamtliche Leiterin", "Ehrenamtlicher Leiter"),
        ["Kaffee, Kuchen und Gesellschaft: ein offener Treff für ältere Menschen."],
        ["Neben Gesprächen gibt es Gedächtnistraining, Vorträge und Ausflüge."],
        [
            "Kaffeenachmittage",
            "Gedächtnistraining",
            "Vorträge zu Gesundheit und Vorsorge",
            "Ausflüge",
        ],
        "Sie sind älter und wollen andere Menschen treffen? Kommen Sie zum Seniorentreff.",
        hours="group",
        fee="Kaffee und Kuchen 2,50 €",
        confidential=False,
        apply="Kommen Sie einfach vorbei.",
    ),
    "besuchsdienst": _offer(
        "Besuchsdienst gegen Einsamkeit",
        ["alter", "ehrenamt-nachbarschaft"],
        ["aeltere-menschen"],
        ("Koordinatorin Besuchsdienst", "Koordinator Besuchsdienst"),
        [
            "Ehrenamtliche besuchen ältere Menschen regelmäßig zu Hause – zum Reden, Spazieren "
            "oder Vorlesen."
        ],
        ["Wir suchen eine Person, die zu Ihnen passt."],
        ["Regelmäßige Besuche", "Spaziergänge", "Begleitung zu Terminen", "Vorlesen"],
        "Sie sind oft allein? Jemand kann Sie besuchen.",
        hours="appointment",
    ),
    "fahrdienst": _offer(
        "Fahrdienst für Menschen mit Behinderung",
        ["behinderung", "alter"],
        ["menschen-mit-behinderung", "aeltere-menschen"],
        ("Disponentin Fahrdienst", "Disponent Fahrdienst"),
        ["Fahrten zu Ärzten, Therapien und Einkäufen mit rollstuhlgerechten Fahrzeugen."],
        ["Bitte bestellen Sie Fahrten mindestens zwei Tage vorher."],
        [
            "Rollstuhlgerechte Fahrzeuge",
            "Fahrten zu Ärzten und Therapien",
            "Begleitung bis zur Tür",
            "Abrechnung mit Kranken- und Pflegekasse",
        ],
        "Sie können nicht selbst fahren? Wir fahren Sie zum Arzt.",
        hours="care",
        fee="Nach Entfernung; Abrechnung mit der Krankenkasse möglich",
        confidential=False,
    ),
    "eutb": _offer(
        "Ergänzende unabhängige Teilhabeberatung (EUTB)",
        ["behinderung", "antraege"],
        ["menschen-mit-behinderung", "familien"],
        ("Teilhabeberaterin", "Teilhabeberater"),
        [
            "Unabhängige Beratung für Menschen mit Behinderung – oft von Menschen, die selbst "
            "eine Behinderung haben."
        ],
        ["Die EUTB ist unabhängig von Ämtern und Leistungserbringern."],
        [
            "Rechte und Leistungen",
            "Persönliches Budget",
            "Arbeit und Wohnen",
            "Hilfe bei Anträgen",
            "Beratung in Leichter Sprache",
        ],
        "Sie haben eine Behinderung? Wir beraten Sie. Wir sind unabhängig.",
        languages=["gsg"],
    ),
    "familienentlastender-dienst": _offer(
        "Familienentlastender Dienst",
        ["behinderung", "pflegende-angehoerige"],
        ["menschen-mit-behinderung", "familien", "pflegende-angehoerige"],
        ("Koordinatorin FED", "Koordinator FED"),
        [
            "Stundenweise Betreuung von Kindern und Erwachsenen mit Behinderung, damit die "
            "Familie Zeit für sich hat."
        ],
        ["Die Kosten übernimmt oft die Pflegekasse über den Entlastungsbetrag."],
        [
            "Stundenweise Betreuung zu Hause",
            "Freizeitangebote",
            "Ferienbetreuung",
            "Begleitung zu Terminen",
        ],
        "Sie pflegen Ihr Kind mit Behinderung? Wir betreuen es ein paar Stunden.",
        hours="appointment",
        fee="Abrechnung über Entlastungsbetrag oder Verhinderungspflege",
    ),
    "fruehfoerderung": _offer(
        "Frühförderung",
        ["behinderung", "familie"],
        ["kinder", "familien"],
        ("Heilpädagogin", "Heilpädagoge"),
        [
            "Förderung für Kinder bis zur Einschulung, die sich langsamer entwickeln oder eine "
            "Behinderung haben."
        ],
        ["Die Förderung findet bei uns, zu Hause oder in der Kita statt."],
        [
            "Entwicklungsdiagnostik",
            "Heilpädagogische Förderung",
            "Ergotherapie und Logopädie",
            "Beratung der Eltern",
        ],
        "Ihr Kind entwickelt sich langsamer? Wir fördern Ihr Kind.",
        hours="appointment",
        ages=(0, 6),
    ),
    # Municipalities
    "buergerbuero": _offer(
        "Bürgerbüro",
        ["antraege"],
        ["familien", "aeltere-menschen"],
        ("Mitarbeiterin Bürgerbüro", "Mitarbeiter Bürgerbüro"),
        [
            "Anmelden, Ausweis beantragen, Führungszeugnis: Die Bürgerdienste der Gemeinde an "
            "einem Ort."
        ],
        ["Viele Anliegen können Sie auch online erledigen."],
        [
            "Meldeangelegenheiten",
            "Personalausweis und Reisepass",
            "Führungszeugnis",
            "Fundsachen",
            "Anträge auf Wohngeld und Schwerbehindertenausweis annehmen",
        ],
        "Sie ziehen um oder brauchen einen Ausweis? Gehen Sie zum Bürgerbüro.",
        hours="office",
        fee="Gebühren nach Satzung, z. B. Personalausweis 37 €",
        confidential=False,
        bring=BRING_ID,
    ),
    "seniorenbuero": _offer(
        "Seniorenbüro",
        ["alter", "begegnung"],
        ["aeltere-menschen"],
        ("Seniorenbeauftragte", "Seniorenbeauftragter"),
        ["Beratung und Veranstaltungen für ältere Menschen in der Gemeinde."],
        ["Das Seniorenbüro kennt alle Hilfen vor Ort."],
        [
            "Beratung im Alltag",
            "Veranstaltungskalender",
            "Seniorenpass",
            "Kontakt zu Nachbarschaftshilfen",
        ],
        "Sie sind älter und haben Fragen? Das Seniorenbüro hilft Ihnen.",
        hours="consult",
        confidential=False,
    ),
    "wohngeld": _offer(
        "Wohngeld",
        ["wohngeld", "wohnen"],
        ["geringes-einkommen", "aeltere-menschen"],
        ("Sachbearbeiterin Wohngeld", "Sachbearbeiter Wohngeld"),
        [
            "Zuschuss zur Miete oder zu den Kosten für das eigene Haus – auch für Rentnerinnen "
            "und Rentner."
        ],
        ["Wohngeld bekommen Menschen mit kleinem Einkommen, die kein Bürgergeld beziehen."],
        [
            "Antrag auf Wohngeld",
            "Berechnung des Anspruchs",
            "Weiterleistungsantrag",
            "Heizkostenkomponente",
        ],
        "Ihre Miete ist zu teuer? Sie können Wohngeld bekommen.",
        hours="office",
        bring=f"{BRING_ID}, {BRING_RENT}, {BRING_INCOME}",
    ),
    "integrationsbuero": _offer(
        "Integrationsbüro der Stadt",
        ["migration", "deutsch-lernen"],
        ["zugewanderte"],
        ("Integrationsbeauftragte", "Integrationsbeauftragter"),
        [
            "Erste Anlaufstelle für Neuzugewanderte: Deutschkurse, Dolmetscher-Pool und "
            "interkulturelle Veranstaltungen."
        ],
        ["Das Integrationsbüro vermittelt ehrenamtliche Sprachmittlerinnen und Sprachmittler."],
        [
            "Überblick über Deutschkurse",
            "Dolmetscher-Pool",
            "Interkulturelle Woche",
            "Kontakt zu Migrantenvereinen",
        ],
        "Sie sind neu in Lahnfeld? Wir helfen Ihnen, hier anzukommen.",
        languages=["en", "tr", "ar", "uk"],
    ),
    "jugendzentrum": _offer(
        "Jugendzentrum",
        ["jugend", "begegnung"],
        ["jugendliche"],
        ("Jugendpflegerin", "Jugendpfleger"),
        ["Offener Treff für Jugendliche mit Billard, Musikraum, Hausaufgabenhilfe und Beratung."],
        ["Das Jugendzentrum ist ein Ort ohne Konsumzwang."],
        [
            "Offener Treff",
            "Musik und Sport",
            "Beratung bei Sorgen",
            "Ferienprogramm",
            "Bewerbungshilfe",
        ],
        "Du bist zwischen 12 und 21? Komm ins Jugendzentrum.",
        hours="group",
        ages=(12, 21),
        confidential=False,
        apply="Einfach vorbeikommen.",
    ),
    "gemeindeschwester": _offer(
        "Gemeindeschwester – Hilfe im Alltag für Ältere",
        ["alter", "gesundheit"],
        ["aeltere-menschen"],
        ("Gemeindeschwester", "Gemeindepfleger"),
        [
            "Eine Pflegefachkraft besucht ältere Menschen zu Hause und kümmert sich, bevor "
            "Pflege nötig wird."
        ],
        ["Das Angebot wird vom Land Hessen gefördert."],
        [
            "Hausbesuche",
            "Beratung zur Gesundheit",
            "Kontakt zu Ärzten und Diensten",
            "Vorbeugung von Stürzen",
        ],
        "Sie sind älter und leben allein? Die Gemeindeschwester besucht Sie.",
        hours="care",
    ),
    # Neighbourhood points
    "stadtteilsprechstunde": _offer(
        "Offene Sprechstunde im Stadtteil",
        ["antraege", "ehrenamt-nachbarschaft"],
        ["familien", "geringes-einkommen", "zugewanderte"],
        ("Quartiersmanagerin", "Quartiersmanager"),
        ["Fragen rund um Alltag, Briefe und Nachbarschaft – ohne Termin, direkt im Stadtteil."],
        [
            "Das Stadtteilbüro ist Treffpunkt und Anlaufstelle. Wenn wir nicht selbst helfen "
            "können, wissen wir, wer es kann."
        ],
        [
            "Briefe verstehen",
            "Weitervermittlung",
            "Nachbarschaftskonflikte",
            "Mitmachen im Quartier",
        ],
        "Sie haben eine Frage? Kommen Sie ins Stadtteilbüro. Ohne Termin.",
        hours="consult",
        languages=["tr", "ru", "ar"],
    ),
    "sprachcafe": _offer(
        "Sprachcafé – Deutsch sprechen üben",
        ["deutsch-lernen", "begegnung"],
        ["zugewanderte"],
        ("Koordinatorin Sprachcafé", "Koordinator Sprachcafé"),
        ["Deutsch sprechen in lockerer Runde, bei Tee und Kaffee, mit Ehrenamtlichen."],
        ["Im Sprachcafé ist jedes Sprachniveau willkommen."],
        [
            "Sprechen im Alltag",
            "Hilfe bei Hausaufgaben aus dem Deutschkurs",
            "Kontakte knüpfen",
            "Ausflüge in der Region",
        ],
        "Sie lernen Deutsch? Üben Sie mit uns. Es ist kostenlos.",
        hours="group",
        confidential=False,
        apply="Kommen Sie einfach vorbei.",
        languages=["en", "ar", "uk", "fa"],
    ),
    "hausaufgabenhilfe": _offer(
        "Hausaufgabenhilfe",
        ["jugend", "bildung-teilhabe"],
        ["kinder", "jugendliche"],
        ("Pädagogische Fachkraft", "Pädagogische Fachkraft"),
        ["Nach der Schule Hausaufgaben machen, mit Unterstützung und einem kleinen Imbiss."],
        ["Ehrenamtliche und Studierende helfen in kleinen Gruppen."],
        ["Hausaufgaben", "Lesen üben", "Vorbereitung auf Klassenarbeiten", "Imbiss"],
        "Dein Kind braucht Hilfe bei den Hausaufgaben? Es kann zu uns kommen.",
        hours="group",
        ages=(6, 14),
        confidential=False,
    ),
    "digitalsprechstunde": _offer(
        "Digitalsprechstunde – Hilfe mit Handy und Computer",
        ["digitale-hilfe", "alter"],
        ["aeltere-menschen", "geringes-einkommen"],
        ("Digitallotsin", "Digitallotse"),
        [
            "Handy einrichten, Videotelefonie, Online-Banking und Online-Anträge: Ehrenamtliche "
            "erklären es in Ruhe."
        ],
        ["Bringen Sie Ihr eigenes Gerät mit. Es gibt auch Leihgeräte zum Üben."],
        [
            "Smartphone und Tablet einrichten",
            "Sicher im Internet",
            "Videotelefonie mit der Familie",
            "Online-Terminbuchung beim Amt",
        ],
        "Ihr Handy ist neu und Sie verstehen es nicht? Wir erklären es Ihnen.",
        hours="group",
        confidential=False,
        bring="Ihr Smartphone, Tablet oder Laptop",
    ),
    "nachbarschaftshilfe": _offer(
        "Nachbarschaftshilfe",
        ["ehrenamt-nachbarschaft", "alter"],
        ["aeltere-menschen", "familien"],
        ("Koordinatorin Nachbarschaftshilfe", "Koordinator Nachbarschaftshilfe"),
        [
            "Kleine Hilfen im Alltag: Einkaufen, Begleitung zum Arzt, Gartenarbeit – von "
            "Nachbarn für Nachbarn."
        ],
        ["Helferinnen und Helfer bekommen eine kleine Aufwandsentschädigung."],
        ["Einkaufen", "Begleitung zum Arzt", "Kleine Reparaturen", "Gartenarbeit"],
        "Sie brauchen Hilfe beim Einkaufen? Nachbarn helfen Ihnen.",
        hours="appointment",
        fee="8 € pro Stunde Aufwandsentschädigung",
        confidential=False,
    ),
    "mittagstisch": _offer(
        "Offener Mittagstisch",
        ["grundbedarf", "begegnung"],
        ["geringes-einkommen", "aeltere-menschen"],
        ("Koordinatorin Mittagstisch", "Koordinator Mittagstisch"),
        ["Günstiges, warmes Mittagessen in Gesellschaft."],
        ["Mit dem Sozialpass kostet das Essen weniger."],
        ["Warmes Mittagessen", "Vegetarisches Gericht", "Gemeinsam essen"],
        "Sie essen nicht gern allein? Kommen Sie zum Mittagstisch. Das Essen ist günstig.",
        hours="group",
        fee="4 €, mit Sozialpass 2 €",
        confidential=False,
        apply="Kommen Sie einfach vorbei.",
    ),
    "eltern-kind-gruppe": _offer(
        "Eltern-Kind-Gruppe",
        ["familie", "kinderbetreuung"],
        ["familien", "schwangere"],
        ("Erzieherin", "Erzieher"),
        ["Spielen, singen, Eltern treffen: Gruppe für Eltern mit Kindern bis drei Jahren."],
        ["Die Gruppe wird von einer Fachkraft begleitet."],
        [
            "Spielen und Bewegung",
            "Singen und Fingerspiele",
            "Austausch unter Eltern",
            "Fragen zur Entwicklung",
        ],
        "Sie haben ein kleines Kind? Treffen Sie andere Eltern.",
        hours="group",
        ages=(0, 3),
        confidential=False,
    ),
    "elterncafe": _offer(
        "Elterncafé",
        ["familie", "erziehung"],
        ["familien", "alleinerziehende"],
        ("Familienbegleiterin", "Familienbegleiter"),
        ["Treffpunkt für Eltern mit Frühstück und Beratung nebenbei."],
        ["Während die Eltern frühstücken, werden die Kinder betreut."],
        ["Frühstück", "Kinderbetreuung", "Beratung nebenbei", "Themenvormittage"],
        "Sie sind Mutter oder Vater? Kommen Sie zum Frühstück ins Elterncafé.",
        hours="group",
        confidential=False,
    ),
    "familienhebamme": _offer(
        "Familienhebamme",
        ["schwangerschaft", "gesundheit"],
        ["schwangere", "familien"],
        ("Familienhebamme", "Familienentbindungspfleger"),
        ["Eine Familienhebamme begleitet Familien bis zum ersten Geburtstag des Kindes."],
        ["Die Familienhebamme kommt zu Ihnen nach Hause."],
        [
            "Hausbesuche",
            "Pflege und Ernährung des Babys",
            "Schlafen und Schreien",
            "Unterstützung bei Sorgen",
        ],
        "Sie haben ein Baby und brauchen Hilfe? Eine Hebamme kommt zu Ihnen.",
        hours="care",
        ages=(0, 1),
    ),
    # Others
    "tafel": _offer(
        "Lebensmittelausgabe der Tafel",
        ["grundbedarf"],
        ["geringes-einkommen", "familien"],
        ("Ausgabeleiterin", "Ausgabeleiter"),
        ["Gespendete Lebensmittel für Menschen mit wenig Geld – gegen einen kleinen Beitrag."],
        ["Einmal angemeldet, bekommen Sie einen Kundenausweis."],
        ["Obst und Gemüse", "Brot und Backwaren", "Milchprodukte", "Hygieneartikel"],
        "Sie haben wenig Geld für Essen? Bei der Tafel bekommen Sie Lebensmittel.",
        hours="group",
        fee="2 € pro Einkauf",
        bring=f"{BRING_ID} und Nachweis über Bürgergeld, Grundsicherung, Wohngeld oder "
        "kleine Rente",
        confidential=False,
    ),
    "mietrechtsberatung": _offer(
        "Mietrechtsberatung",
        ["rechtsberatung", "wohnen"],
        ["geringes-einkommen", "familien"],
        ("Rechtsanwältin", "Rechtsanwalt"),
        ["Rechtsberatung zu Mieterhöhung, Nebenkosten, Mängeln und Kündigung."],
        ["Die Beratung ist für Mitglieder kostenlos."],
        ["Mieterhöhung", "Nebenkostenabrechnung", "Mängel in der Wohnung", "Kündigung"],
        "Sie haben Streit mit dem Vermieter? Wir beraten Sie.",
        hours="appointment",
        fee="Mitgliedsbeitrag 7 € im Monat",
        bring=BRING_RENT,
    ),
    "frauenberatung": _offer(
        "Frauenberatungsstelle bei Gewalt",
        ["gewaltschutz"],
        ["frauen"],
        ("Beraterin", "Berater"),
        ["Beratung für Frauen, die Gewalt erleben oder erlebt haben – anonym, auch am Telefon."],
        ["Wir beraten auch Angehörige und Fachkräfte."],
        [
            "Beratung bei häuslicher Gewalt",
            "Schutzanordnung nach dem Gewaltschutzgesetz",
            "Begleitung zu Polizei und Gericht",
            "Vermittlung ins Frauenhaus",
        ],
        "Jemand tut Ihnen weh? Wir helfen Ihnen. Sie müssen Ihren Namen nicht sagen.",
        languages=["en", "tr", "ar", "ru"],
    ),
    "frauenhaus": _offer(
        "Frauenhaus",
        ["gewaltschutz", "wohnungsnotfall"],
        ["frauen", "kinder"],
        ("Sozialpädagogin", "Sozialpädagogin"),
        ["Schutz und Unterkunft für Frauen und ihre Kinder – rund um die Uhr erreichbar."],
        [
            "Die Adresse des Frauenhauses ist geheim. Rufen Sie an; wir vereinbaren einen "
            "Treffpunkt."
        ],
        [
            "Sichere Unterkunft",
            "Beratung und Begleitung",
            "Betreuung der Kinder",
            "Hilfe beim Neuanfang",
        ],
        "Sie sind in Gefahr? Rufen Sie uns an. Tag und Nacht.",
        hours="always",
    ),
    "beratungshilfe": _offer(
        "Beratungshilfe und Rechtsantragstelle",
        ["rechtsberatung", "antraege"],
        ["geringes-einkommen"],
        ("Rechtspflegerin", "Rechtspfleger"),
        [
            "Menschen mit wenig Geld bekommen einen Beratungshilfeschein für eine Anwältin oder "
            "einen Anwalt."
        ],
        ["Die Rechtsantragstelle nimmt auch Anträge und Klagen zu Protokoll."],
        [
            "Beratungshilfeschein",
            "Anträge zu Protokoll",
            "Gewaltschutzanträge",
            "Auskunft zu Gerichtsverfahren",
        ],
        "Sie brauchen einen Anwalt, haben aber wenig Geld? Sie können einen Schein bekommen.",
        hours="office",
        fee="15 € Eigenanteil bei der Anwältin oder dem Anwalt",
        bring=f"{BRING_ID}, {BRING_INCOME}, Unterlagen zum Rechtsproblem",
        confidential=False,
    ),
}
del OFFERS["erziehungsberatung-caritas"]

# --- texts shared by all offers ------------------------------------------------------------

HEADINGS = [
    "Wobei wir Sie unterstützen",
    "Unser Angebot",
    "Damit können Sie zu uns kommen",
    "Das bieten wir an",
]
CLOSINGS_CONFIDENTIAL = [
    "Die Beratung ist vertraulich. Alle Mitarbeitenden unterliegen der Schweigepflicht.",
    "Was Sie uns erzählen, bleibt unter uns – ohne Ihr Einverständnis geben wir nichts weiter.",
]
CLOSINGS = [
    "Sie können gern eine Person Ihres Vertrauens mitbringen.",
    "Wenn Sie Unterstützung in einer anderen Sprache brauchen, sagen Sie uns bitte bei der "
    "Anmeldung Bescheid.",
    "Wir arbeiten eng mit dem Sozialbüro des Landkreises und anderen Beratungsstellen "
    "zusammen. Wenn wir nicht weiterhelfen können, vermitteln wir Sie weiter.",
    "Wenn Sie nicht zu uns kommen können, rufen Sie an – wir finden eine Lösung.",
]
EASY_EXTRAS_FREE = ["Das kostet nichts.", "Sie müssen nichts bezahlen."]
APPLY = {
    "consult": [
        "Kommen Sie in die offene Sprechstunde oder vereinbaren Sie einen Termin – "
        "telefonisch oder per E-Mail.",
        "Ohne Anmeldung in der offenen Sprechstunde; für längere Gespräche bitte einen Termin "
        "vereinbaren.",
    ],
    "appointment": [
        "Bitte vereinbaren Sie vorab einen Termin. Rufen Sie uns an oder schreiben Sie eine "
        "E-Mail; wir melden uns innerhalb von zwei Werktagen.",
        "Termine nach Vereinbarung, gern auch telefonisch oder per Video.",
    ],
    "office": [
        "Kommen Sie während der Öffnungszeiten vorbei. Für längere Anliegen vereinbaren Sie "
        "bitte einen Termin.",
        "Persönlich zu den Öffnungszeiten, telefonisch oder per E-Mail.",
    ],
    "group": [
        "Eine Anmeldung ist nicht nötig. Kommen Sie einfach vorbei.",
        "Bitte melden Sie sich beim ersten Mal kurz telefonisch an.",
    ],
    "care": [
        "Rufen Sie uns an. Wir vereinbaren einen Hausbesuch.",
        "Melden Sie sich telefonisch; wir kommen zu Ihnen nach Hause.",
    ],
    "phone": ["Rufen Sie uns zu den Telefonzeiten an."],
    "always": ["Rufen Sie jederzeit an – Tag und Nacht."],
    "daily": ["Kommen Sie zu den Öffnungszeiten vorbei."],
    "seasonal": ["Kommen Sie in die Sprechstunde oder rufen Sie an."],
    "rotating": [
        "Ohne Anmeldung: Kommen Sie zur Sprechstunde ins Rathaus. Einen Termin für einen "
        "Hausbesuch können Sie auch telefonisch vereinbaren.",
    ],
}
BRING_DEFAULT = f"{BRING_ID} und, falls vorhanden, {BRING_LETTERS}."


def _capitalised(text):
    return text[:1].upper() + text[1:]


def compose_offer(rng, key, town_name, *, with_town):
    """Field values of an offer page built from the topic template `key`."""
    t = OFFERS[key]
    title = f"{t['title']} in {town_name}" if with_town else t["title"]
    summary = rng.choice(t["summary"])
    tasks = rng.sample(t["tasks"], k=min(len(t["tasks"]), rng.randint(3, 5)))
    closings = []
    if t["confidential"]:
        closings.append(rng.choice(CLOSINGS_CONFIDENTIAL))
    closings.append(rng.choice(CLOSINGS))
    description = "".join(
        [
            f"<p>{html.escape(rng.choice(t['about']))}</p>",
            f"<h3>{html.escape(rng.choice(HEADINGS))}</h3>",
            "<ul>" + "".join(f"<li>{html.escape(task)}</li>" for task in tasks) + "</ul>",
            f"<p>{html.escape(' '.join(closings))}</p>",
        ]
    )
    is_free = not t["fee"]
    easy = t["easy"]
    if is_free and "kostet nichts" not in easy and "kostenlos" not in easy:
        easy = f"{easy} {rng.choice(EASY_EXTRAS_FREE)}"
    eligibility = t["eligibility"] or (
        f"Menschen aus {town_name} und Umgebung."
        if with_town
        else "Alle Menschen, die im Landkreis Lahnfeld leben."
    )
    bring = t["bring"]
    min_age, max_age = t["ages"] or (None, None)
    return {
        "title": title,
        "summary": summary,
        "description": description,
        "easy_language_summary": easy,
        "is_free": is_free,
        "fee_description": t["fee"],
        "eligibility": eligibility,
        "how_to_apply": t["apply"] or rng.choice(APPLY[t["hours"]]),
        "what_to_bring": (_capitalised(bring) + ".") if bring else "",
        "min_age": min_age,
        "max_age": max_age,
    }


# --- opening hours ---------------------------------------------------------------------------


def _t(text):
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


#: Weekly hours of offices: lists of (weekdays, opens, closes)
OFFICE_PATTERNS = [
    [("MO,TU,FR", "08:30", "12:30"), ("TH", "14:00", "17:00")],
    [("MO,TU,WE,TH", "09:00", "12:00"), ("TU,TH", "13:30", "16:00")],
    [("MO,TU,WE,TH,FR", "08:00", "12:00"), ("MO,TU,TH", "13:00", "15:30")],
    [("MO,WE,FR", "09:00", "13:00")],
    [("MO,TU,WE,TH", "08:00", "16:00"), ("FR", "08:00", "12:30")],
    [("TU,TH", "08:30", "12:00"), ("TH", "14:00", "18:00")],
]
#: Open consultation slots of counselling services
CONSULT_PATTERNS = [
    [("TU", "09:00", "12:00"), ("TH", "14:00", "17:00")],
    [("MO", "14:00", "16:00")],
    [("WE", "09:00", "11:30")],
    [("TU,TH", "10:00", "12:00")],
    [("MO,WE", "13:00", "15:00")],
    [("FR", "09:00", "12:00")],
]
#: Group meetings, courses, cafés
GROUP_PATTERNS = [
    [("TU", "15:00", "17:00")],
    [("TH", "09:30", "11:30")],
    [("WE", "16:00", "18:00")],
    [("FR", "14:30", "16:30")],
    [("MO,WE", "14:00", "16:30")],
    [("TU,TH", "14:00", "17:30")],
    [("SA", "10:00", "13:00")],
]
#: Long opening hours (day centres, kindergartens)
DAILY_PATTERNS = [
    [("MO,TU,WE,TH,FR", "07:00", "16:30")],
    [("MO,TU,WE,TH,FR", "08:30", "14:00")],
    [("MO,TU,WE,TH", "07:30", "17:00"), ("FR", "07:30", "14:00")],
]
PHONE_PATTERNS = [
    [("MO,TU,WE,TH,FR", "08:00", "09:30")],
    [("MO,TH", "13:00", "15:00")],
    [("TU,WE", "10:00", "12:00")],
    [("MO,TU,WE,TH", "08:00", "16:00"), ("FR", "08:00", "12:00")],
]
VIDEO_NOTES = [
    "Videoberatung nach Terminvereinbarung; den Zugangslink erhalten Sie per E-Mail.",
    "Per Video über das Bürgerportal des Landkreises – ohne Installation.",
]
APPOINTMENT_NOTES = [
    "Termine außerhalb der Sprechzeiten nach Vereinbarung.",
    "Termine nach Vereinbarung, auch am späten Nachmittag.",
    "Gespräche mit Dolmetscherin oder Dolmetscher bitte eine Woche vorher vereinbaren.",
]


def _row(kind, location, days, opens, closes, **extra):
    return {
        "kind": kind,
        "location": location,
        "weekdays": days.split(",") if days else [],
        "opens_at": _t(opens) if opens else None,
        "closes_at": _t(closes) if closes else None,
        "frequency": extra.get("frequency", "weekly"),
        "interval": extra.get("interval", 1),
        "week_of_month": extra.get("week_of_month"),
        "valid_from": extra.get("valid_from"),
        "valid_to": extra.get("valid_to"),
        "note": extra.get("note", ""),
    }


def _weekly(kind, location, pattern, **extra):
    return [_row(kind, location, days, opens, closes, **extra) for days, opens, closes in pattern]


def _monday(day):
    return day - dt.timedelta(days=day.weekday())


def compose_hours(rng, key, today):
    """Opening hours of an offer as dicts; `location` is 0 (the offer's place) or None.

    Each profile mixes in phone, video and appointment hours with some probability; a few
    offers get hours limited in time (changed hours, seasonal extra hours).
    """
    profile = OFFERS[key]["hours"]
    rows = []
    in_person = None
    if profile == "office":
        in_person = rng.choice(OFFICE_PATTERNS)
    elif profile in ("consult", "seasonal"):
        in_person = rng.choice(CONSULT_PATTERNS)
    elif profile == "daily":
        in_person = rng.choice(DAILY_PATTERNS)
    if in_person:
        roll = rng.random()
        if roll < 0.1:
            # Hours change at the start of next month.
            next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            later = rng.choice([p for p in OFFICE_PATTERNS + CONSULT_PATTERNS if p != in_person])
            rows += _weekly("in_person", 0, in_person, valid_to=next_month - dt.timedelta(1))
            rows += _weekly(
                "in_person", 0, later, valid_from=next_month, note="Neue Öffnungszeiten"
            )
        else:
            rows += _weekly("in_person", 0, in_person)
    if profile == "seasonal" or (in_person and rng.random() < 0.08):
        start = dt.date(today.year, 10, 1)
        if today > dt.date(today.year, 3, 31) and today < start:
            pass
        elif today <= dt.date(today.year, 3, 31):
            start = dt.date(today.year - 1, 10, 1)
        rows.append(
            _row(
                "in_person",
                0,
                "WE",
                "14:00",
                "18:00",
                valid_from=start,
                valid_to=dt.date(start.year + 1, 3, 31),
                note="Zusätzliche Wintersprechstunde",
            )  # fmt: skip
        )
    if profile == "group":
        pattern = rng.choice(GROUP_PATTERNS)
        roll = rng.random()
        if roll < 0.2:
            rows += _weekly(
                "in_person", 0, pattern[:1], interval=2, valid_from=_monday(today),
                note="Alle zwei Wochen",
            )  # fmt: skip
        elif roll < 0.35:
            rows += _weekly(
                "in_person", 0, pattern[:1], frequency="monthly",
                week_of_month=rng.choice([1, 2, 3, -1]),
            )  # fmt: skip
        else:
            rows += _weekly("in_person", 0, pattern)
    if profile == "phone":
        rows += _weekly(
            "phone", None, [("MO,TU,WE,TH", "07:30", "19:30"), ("FR", "07:30", "15:30")]
        )
    elif profile == "always":
        rows += _weekly(
            "phone", None, [("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")],
            note="Rund um die Uhr erreichbar",
        )  # fmt: skip
    elif profile == "care":
        rows += _weekly("phone", None, rng.choice(PHONE_PATTERNS))
        rows.append(
            _row("appointment", None, "", None, None, note="Hausbesuche nach Vereinbarung.")
        )
    elif rng.random() < 0.55:
        rows += _weekly("phone", None, rng.choice(PHONE_PATTERNS))
    if profile in ("consult", "appointment", "seasonal") or rng.random() < 0.2:
        note = rng.choice(APPOINTMENT_NOTES)
        days = rng.choice(["", "", "MO,TU,WE,TH", "TU,TH"])
        rows.append(_row("appointment", 0, days, None, None, note=note))
        if rng.random() < 0.2:
            rows.append(_row("appointment", None, "", None, None, note="Hausbesuche möglich."))
    if profile in ("consult", "appointment", "phone") and rng.random() < 0.3:
        rows.append(_row("video", None, rng.choice(["WE", "TU", "TH"]), "10:00", "12:00",
                         note=rng.choice(VIDEO_NOTES)))  # fmt: skip
    return rows


def phone_hours(rng):
    """Phone hours of an offer, not tied to a place."""
    return _weekly("phone", None, rng.choice(PHONE_PATTERNS))


def rotating_hours(plan, today):
    """The touring Wednesday hours of a ROTATING plan, one row per town (location index)."""
    opens, closes = plan["hours"]
    rows = []
    # The Wednesday of the current week: four staggered starts make "every 4 weeks" rotate.
    first_wednesday = _monday(today) + dt.timedelta(days=2)
    for index, town in enumerate(plan["towns"]):
        town_name = TOWN[town][1]
        row = {
            "kind": "mobile",
            "location": index,
            "weekdays": ["WE"],
            "opens_at": opens,
            "closes_at": closes,
            "frequency": "weekly",
            "interval": 1,
            "week_of_month": None,
            "valid_from": None,
            "valid_to": None,
            "note": f"Sprechstunde im Rathaus {town_name}",
        }
        if plan["mode"] == "monthly":
            row.update(frequency="monthly", week_of_month=index + 1)
        else:
            row.update(
                interval=len(plan["towns"]),
                valid_from=first_wednesday + dt.timedelta(weeks=index),
            )
        rows.append(row)
    return rows


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance, good enough for picking neighbouring towns."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def neighbours(town, count):
    """The `count` towns closest to `town`, itself excluded."""
    _slug, _name, _codes, lat, lon, _hall = TOWN[town]
    others = [t for t in TOWNS if t[0] != town]
    others.sort(key=lambda t: distance_km(lat, lon, t[3], t[4]))
    return [t[0] for t in others[:count]]
