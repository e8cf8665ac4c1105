"""Demo handovers for the demo county: cases from `beratung` to `awo` and `diakonie`.

Everything goes through `lotse.handover.services`, so consent, encryption, audit chain and outbox
are the real ones. Each case is known by its consent's purpose (a draft by its summary); both
are read back decrypted from `beratung`'s own handovers (no audit entry: this is no case
work), so a second run adds nothing. Summaries start with "[Demo]". The services stamp every
step with the current time.
"""

import datetime as dt
import time
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.directory import demo_data as data
from lotse.directory.models import OfferPage
from lotse.handover import services
from lotse.handover.models import Handover, HandoverContent, Status
from lotse.network import permissions
from lotse.network.management.base import LotseCommand
from lotse.network.models import Person

SENDER = "beratung"
RECIPIENTS = ("awo", "diakonie")
PREFIX = "[Demo] "
AWO = "awo-kreisverband-lahnfeld"
DIAKONIE = "diakonisches-werk-lahnfeld"

#: The cases, in the order they are created. "offer" is (organisation, template, town) of a
#: demo offer; "steps" are (action, arguments) after sending: the recipient's actions or the
#: sender's "withdraw_consent"; "again" hands a declined case to another recipient with a new
#: consent. "contact_date" counts working days from today.
CASES = [
    {
        "to": "awo",
        "offer": (AWO, "schuldnerberatung", "lahnfeld"),
        "urgency": "urgent",
        "citizen": ("Erika Musterfrau", 901, "Deutsch", "vormittags bis 12 Uhr"),
        "summary": "Frau Musterfrau hat drei Monatsmieten Rückstand. Der Vermieter hat die "
        "fristlose Kündigung angekündigt, wenn bis Monatsende nichts passiert. Sie hat einen "
        "Minijob und braucht schnell einen Termin.",
        "consent": ("written", ["finances", "housing", "work"], "de"),
        "purpose": "Beratung zu Mietschulden, um die Kündigung der Wohnung abzuwenden",
        "steps": [],
    },
    {
        "to": "awo",
        "offer": (AWO, "migrationsberatung", "lahnfeld"),
        "citizen": ("Samir Beispiel-Haddad", 902, "Arabisch, Englisch", "ab 16 Uhr"),
        "summary": "Herr Beispiel-Haddad lebt seit einem Jahr im Landkreis. Seine "
        "Aufenthaltserlaubnis läuft in zwei Monaten ab. Er braucht Hilfe beim Antrag auf "
        "Verlängerung und sucht einen Deutschkurs am Abend.",
        "consent": ("verbal_documented", ["residence", "work"], "en"),
        "purpose": "Beratung zur Verlängerung der Aufenthaltserlaubnis und zu Deutschkursen",
        "steps": [("open", {})],
    },
    {
        "to": "awo",
        "offer": (AWO, "seniorenberatung", "lahnfeld"),
        "citizen": ("Gerda Probe", 903, "Deutsch", "nachmittags, bitte lange klingeln lassen"),
        "email": False,
        "summary": "Frau Probe ist 81 und lebt allein. Nach einem Sturz kommt sie kaum noch "
        "die Treppe hoch. Die Tochter wohnt weit weg. Es geht um Hilfe im Haushalt, einen "
        "Pflegegrad und vielleicht Essen auf Rädern.",
        "consent": ("written", ["health", "family", "housing"], "de"),
        "purpose": "Beratung zu Hilfe im Alltag, Pflegegrad und Essen auf Rädern",
        "steps": [
            ("open", {}),
            ("accept", {"note": "Wir rufen an und vereinbaren einen Hausbesuch."}),
        ],
    },
    {
        "to": "diakonie",
        "offer": (DIAKONIE, "kasa", "lahnfeld"),
        "citizen": (
            "Jana Mustermann",
            904,
            "Deutsch",
            "vormittags, solange die Kinder in der Kita sind",
        ),
        "summary": "Frau Mustermann ist alleinerziehend mit zwei Kindern. Das Bürgergeld wurde "
        "gekürzt, weil Unterlagen fehlten, und der Stromversorger droht mit einer Sperre. "
        "Sie braucht Hilfe beim Widerspruch und mit dem Stromversorger.",
        "consent": ("electronic", ["benefits", "finances", "family"], "de"),
        "purpose": "Hilfe beim Widerspruch gegen die Kürzung und gegen die Stromsperre",
        "steps": [
            ("open", {}),
            ("accept", {}),
            ("contact", {"contact_date": 2, "note": "Termin in der Beratungsstelle."}),
        ],
    },
    {
        "to": "diakonie",
        "offer": (DIAKONIE, "fluechtlingsberatung", "lahnfeld"),
        "citizen": ("Piotr Platzhalter", 905, "Polnisch, Englisch", "jederzeit"),
        "summary": "Herr Platzhalter und seine Frau sind vor einem halben Jahr in den "
        "Landkreis gekommen. In drei Wochen ist ihre Anhörung im Asylverfahren; sie wissen "
        "nicht, was sie erwartet.",
        "consent": ("written", ["residence", "family"], "en"),
        "purpose": "Vorbereitung auf die Anhörung im Asylverfahren",
        "steps": [
            ("open", {}),
            ("accept", {}),
            ("contact", {"contact_date": 0}),
            (
                "close",
                {
                    "outcome": "helped",
                    "note": "Anhörung gemeinsam vorbereitet, eine Ehrenamtliche begleitet sie.",
                },
            ),
        ],
    },
    {
        "to": "diakonie",
        "offer": (DIAKONIE, "schuldnerberatung", "lahnfeld"),
        "citizen": ("Kevin Testmann", 906, "Deutsch", "nach 17 Uhr"),
        "summary": "Herr Testmann hat nach der Trennung rund 15.000 Euro Schulden bei mehreren "
        "Gläubigern, eines davon ein Inkassobüro. Er arbeitet Vollzeit und möchte prüfen "
        "lassen, ob eine Privatinsolvenz für ihn in Frage kommt.",
        "consent": ("verbal_documented", ["finances", "work"], "de"),
        "purpose": "Schuldnerberatung und Prüfung einer Privatinsolvenz",
        "steps": [
            (
                "decline",
                {
                    "reason": "no_capacity",
                    "note": "Unsere Warteliste ist drei Monate lang. Die AWO kann früher.",
                },
            ),
        ],
        "again": {
            "to": "awo",
            "offer": (AWO, "schuldnerberatung", "lahnfeld"),
            "consent": ("verbal_documented", ["finances", "work"], "de"),
            "purpose": "Schuldnerberatung bei der AWO, weil die Diakonie keinen Platz frei hat",
        },
    },
    {
        "to": "diakonie",
        "offer": (DIAKONIE, "kasa", "lahnfeld"),
        "citizen": ("Lena Fiktiv", 907, "Deutsch", "mittwochs"),
        "summary": "Frau Fiktiv möchte Wohngeld beantragen und weiß nicht, welche Nachweise "
        "sie braucht.",
        "consent": ("electronic", ["housing", "benefits"], "de"),
        "purpose": "Hilfe beim Antrag auf Wohngeld",
        "steps": [("open", {}), ("withdraw_consent", {})],
    },
    {
        "to": "diakonie",
        "offer": (DIAKONIE, "fluechtlingsberatung", "lahnfeld"),
        "citizen": ("Aylin Beispiel", 908, "Türkisch", ""),
        "email": False,
        "summary": "Frau Beispiel möchte ihren Mann und die Kinder nachholen. Noch klären: "
        "welche Unterlagen sie schon hat, Dolmetscherin fürs Gespräch?",
        "draft": True,
    },
]


def case_key(case):
    """What a case is known by: the consent's purpose, a draft's summary."""
    return PREFIX + case["summary"] if case.get("draft") else case["purpose"]


class Command(LotseCommand):
    help = gettext_lazy(
        "Create demo handovers from 'beratung' to 'awo' and 'diakonie', from draft to closed, "
        "through the handover services. Needs load_demo first, runs only with DEBUG on and "
        "adds nothing on a second run."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "load_demo_handovers creates handovers for users with a published password "
                    "and runs only with DEBUG on."
                )
            )
        started = time.perf_counter()
        with transaction.atomic():
            self.sender, self.contacts = self.demo_users()
            known = self.existing_keys()
            created = 0
            for case in CASES:
                if case_key(case) not in known:
                    created += self.create_case(case)
        self.report(created, time.perf_counter() - started)

    def demo_users(self):
        """The adviser and the contacts of load_demo, or a one-line error."""
        sender = get_user_model().objects.filter(username=SENDER).first()
        contacts = {
            name: Person.objects.filter(hsds_id=data.demo_uuid("person", "user", name)).first()
            for name in RECIPIENTS
        }
        receivable = services.receivable_contacts().filter(
            pk__in=[p.pk for p in contacts.values() if p]
        )
        if (
            sender is None
            or not permissions.is_adviser(sender)
            or receivable.count() != len(RECIPIENTS)
        ):
            raise CommandError(
                _("The demo users beratung, awo and diakonie are missing: run load_demo first.")
            )
        return sender, contacts

    def existing_keys(self):
        """Purposes and summaries of the sender's handovers, decrypted."""
        handovers = Handover.objects.filter(sender=self.sender).select_related("consent")
        keys = {h.consent.purpose for h in handovers if h.consent_id}
        keys |= set(
            HandoverContent.objects.filter(handover__sender=self.sender).values_list(
                "summary", flat=True
            )
        )
        return keys

    def offer(self, org_slug, template, town):
        """The demo offer the case starts from, if it is still published."""
        hsds_id = data.demo_uuid("offer", org_slug, template, town)
        return OfferPage.objects.live().filter(hsds_id=hsds_id).first()

    def consent(self, spec, purpose, minutes_ago):
        method, categories, language = spec
        return {
            "given_at": timezone.now() - dt.timedelta(minutes=minutes_ago),
            "method": method,
            "adviser_declaration": method == "verbal_documented",
            "data_categories": categories,
            "purpose": purpose,
            "valid_until": timezone.localdate() + dt.timedelta(days=180),
            "language": language,
        }

    def create_case(self, case):
        """Send (or draft) one case and take it through its steps; returns handovers made."""
        name, extension, language, best_times = case["citizen"]
        first, last = name.lower().split(" ", 1)
        citizen = {
            "name": name,
            "phone": data.phone(extension),
            "email": f"{first}.{last}@example.org" if case.get("email", True) else "",
            "preferred_language": language,
            "best_times": best_times,
        }
        recipient = self.contacts[case["to"]]
        offer = self.offer(*case["offer"])
        summary = PREFIX + case["summary"]
        if case.get("draft"):
            services.save_draft(
                self.sender, recipient=recipient, summary=summary, citizen=citizen, offer=offer
            )
            return 1
        handover = services.create_handover(
            self.sender,
            recipient=recipient,
            summary=summary,
            citizen=citizen,
            consent=self.consent(case["consent"], case["purpose"], minutes_ago=40),
            urgency=case.get("urgency", "normal"),
            offer=offer,
        )
        for action, arguments in case["steps"]:
            self.step(handover, recipient, action, dict(arguments))
        again = case.get("again")
        if again is None:
            return 1
        services.rehandover(
            self.sender,
            handover,
            self.contacts[again["to"]],
            offer=self.offer(*again["offer"]),
            consent=self.consent(again["consent"], again["purpose"], minutes_ago=5),
        )
        return 2

    def step(self, handover, recipient, action, arguments):
        if action == "withdraw_consent":
            services.withdraw_consent(self.sender, handover)
        elif action == "open":
            services.read_content(recipient.user, handover, mark_opened=True)
        else:
            if "contact_date" in arguments:
                arguments["contact_date"] = working_day(arguments["contact_date"])
            services.transition(recipient.user, handover, action, **arguments)

    def report(self, created, seconds):
        handovers = Handover.objects.filter(sender=self.sender)
        by_status = Counter(handovers.values_list("status", flat=True))
        labels = dict(Status.choices)
        statuses = ", ".join(
            f"{labels[status]} {by_status[status]}" for status in Status.values if by_status[status]
        )
        lines = [
            _("Handovers sent by %(user)s: %(total)d (%(new)d new)")
            % {"user": SENDER, "total": handovers.count(), "new": created},
            _("By status: %(statuses)s") % {"statuses": statuses},
        ]
        for name, person in self.contacts.items():
            inbox = Handover.objects.filter(recipient=person).exclude(status=Status.DRAFT).count()
            lines.append(_("Inbox of %(user)s: %(count)d") % {"user": name, "count": inbox})
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo handovers ready in %(seconds).1f s. Log in as beratung, awo or "
                    "diakonie to see them."
                )
                % {"seconds": seconds}
            )
        )


def working_day(days):
    """The date `days` working days from today (0: today)."""
    day = timezone.localdate()
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
