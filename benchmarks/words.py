"""Word lists and sentence templates for synthetic playbooks: the vocabulary of a company selling
accounts-payable software, combined by seed into titles, talking points and definitions.

A template's slots are names in braces, filled by `synth.Writer.fill`: `{topic}`, `{company}`,
`{n}` (a small number), `{pct}` (a percentage), `{value}` (a reference to an agreed value) and
the names of the lists below in the singular.
"""

from __future__ import annotations

TOPICS = (
    "invoice capture", "approval routing", "three-way matching", "payment runs", "supplier onboarding",
    "bank detail changes", "duplicate invoices", "the month-end close", "ERP sync", "purchase order matching",
    "expense coding", "cash forecasting", "early payment discounts", "the audit trail", "VAT handling",
    "e-invoicing", "supplier statements", "credit notes", "multi-entity approvals", "payment fraud",
    "vendor master data", "exception handling", "late payment fees", "working capital", "remittance advice",
    "spend visibility", "approval reminders", "mobile approvals", "general ledger coding", "accruals",
    "supplier queries", "invoice backlogs", "approval limits", "segregation of duties", "payment terms",
    "currency conversion", "supplier portals", "scanned paper invoices", "delegation during holidays",
    "cost centre ownership", "goods received notes", "recurring invoices", "utility bills", "freight invoices",
)
INDUSTRIES = (
    "logistics", "hospitality", "manufacturing", "healthcare", "retail", "construction", "wholesale",
    "professional services", "education", "food and beverage", "property management", "automotive parts",
    "energy", "media", "nonprofit", "software", "facilities management", "pharmaceutical", "agriculture",
    "telecoms",
)
ROLES = (
    "finance director", "AP manager", "controller", "CFO", "procurement manager", "IT security lead",
    "AP clerk", "shared services lead", "finance systems analyst", "treasury manager", "budget holder",
    "internal auditor", "head of operations", "payroll manager", "group accountant", "purchasing lead",
)
ERPS = ("Business Central", "NetSuite", "Sage Intacct", "SAP Business One", "Dynamics 365 Finance", "Acumatica",
        "Oracle Fusion", "Odoo", "Epicor", "Infor")
RIVALS = ("ERP AP modules", "spreadsheet workflows", "outsourced AP", "legacy OCR tools", "suite vendors",
          "point solutions", "the status quo", "in-house builds", "shared mailboxes", "bank portals")
COMPANY_FIRST = ("Harbour", "Kestrel", "North", "Silver", "Oak", "Granite", "Blue", "Copper", "Lark", "Maple",
                 "Iron", "Willow", "Summit", "River", "Cedar", "Falcon", "Amber", "Stone", "Bright", "Fern",
                 "Heron", "Alder", "Quarry", "Beacon", "Coral", "Elm")
COMPANY_SECOND = ("line", "field", "gate", "works", "wood", "mere", "ford", "stone", "brook", "haven", "crest",
                  "vale", "point", "bridge", "bay", "moor")
COMPANY_KIND = ("Hotels", "Components", "Logistics", "Foods", "Clinics", "Builders", "Retail", "Group", "Health",
                "Supply", "Engineering", "Distribution", "Labs", "Foundry", "Partners", "Energy")
OUTCOMES = (
    "closing the books {n} days sooner", "cutting the cost per invoice by {pct} percent",
    "ending the approval chase", "paying every supplier on time", "catching {n} duplicate invoices a month",
    "taking {pct} percent more early payment discounts", "halving supplier calls",
    "moving {n} entities onto one approval flow", "stopping a bank detail fraud", "clearing a {n}-week backlog",
)
FEATURES = ("verification queue", "approval inbox", "matching screen", "payment run preview", "supplier record",
            "audit log", "approval rule builder", "cash forecast", "exception list", "ERP sync log")
SITUATIONS = (
    "the buyer asks how {topic} works with {erp}", "the buyer has shared their invoice volume",
    "the buyer says {topic} is already handled by the ERP", "a {role} joins the call for the first time",
    "the buyer compares us with {rival}", "the project needs sign-off from the {role}",
    "the buyer worries about {topic} during the rollout", "the buyer asks for proof from a {industry} company",
    "the buyer wants to know what {topic} costs them today", "the deal stalls after the demo",
    "the buyer asks who else uses us for {topic}", "renewal is {n} months away",
)
OPENERS = (
    "{company} {verb} {topic} in {n} weeks", "Most {role}s we meet lose {n} hours a week to {topic}",
    "In {industry}, {topic} is where invoices wait longest", "Open with the {industry} numbers",
    "If the buyer mentions {erp}, say that we sync both ways", "Ask who signs off {topic} today",
    "We plan {topic} with you before onboarding starts", "Show the {feature} before the slides",
    "Start from the buyer's own invoices, not ours", "Remind the {role} that {topic} stays in their ERP",
    "A {role} cares about {topic} more than about features", "Quote {company}, not our own claims",
)
FOLLOWERS = (
    "ask how long {topic} takes them today", "let them count their own savings",
    "{pct} percent fewer exceptions after the first quarter live", "then show the {feature}",
    "and who would miss it if it stopped", "and say what the onboarding plan covers instead",
    "and offer to run {n} of their invoices through it live", "then hand over to the {role}",
    "any discount above {value} needs the VP Sales, so do not offer it on the call",
    "and point to the {feature} for the detail", "then ask what {topic} cost them last quarter",
    "and keep the {rival} comparison for later", "because {topic} is what the {role} is measured on",
)
VERBS = ("automated", "rebuilt", "moved", "cleaned up", "cut the cost of", "sped up", "took control of", "fixed")
DESCRIPTIONS = (
    "A {kind} for {industry} finance teams about {topic}.",
    "It shows how {company} handled {topic} and {topic2} with Tallybright AP.",
    "Use it when a {role} asks about {topic}, not before the first call.",
    "It takes about {n} minutes to read and ends with questions for the buyer.",
    "The numbers come from {n} customers in {industry} and are checked every quarter.",
    "Send it after the demo, with a line on what the buyer said about {topic}.",
    "It answers the objections we hear most about {topic2} from a {role}.",
    "Marketing keeps it current; tell them when a buyer finds a gap in it.",
    "Read it before the call: it lists what {rival} cannot do for {topic}.",
    "It fits on one screen, so a rep can share it during the call.",
    "The second half walks through {topic} step by step, with the screens a {role} will see.",
    "Buyers who use {erp} ask for it most, because it shows the sync in both directions.",
    "It replaces the older version that still mentioned {topic2}; do not send that one any more.",
    "Customer success uses the same material at the kickoff, so the story stays the same after signature.",
    "A short version for a {role} is on its last page: send only that page if time is short.",
)
TERM_MODIFIERS = (
    "Approval", "Invoice", "Supplier", "Payment", "Pipeline", "Lead", "Account", "Deal", "Renewal", "Expansion",
    "Onboarding", "Discovery", "Forecast", "Territory", "Quota", "Intent", "Campaign", "Content", "Partner",
    "Channel", "Budget", "Procurement", "Security", "Implementation", "Adoption", "Churn", "Usage", "Contract",
    "Pricing", "Discount", "Engagement", "Fit", "Buying", "Stakeholder", "Champion", "Competitive", "Win", "Loss",
    "Event", "Webinar", "Referral", "Trial", "Meeting", "Demo", "Proposal", "Quote", "Signature", "Handover",
    "Capture", "Matching", "Exception", "Close", "Ledger", "Remittance", "Fraud", "Vendor", "Spend", "Cash",
)
TERM_CONCEPTS = (
    "rate", "score", "cycle", "velocity", "coverage", "owner", "review", "window", "threshold", "backlog",
    "stage", "plan", "signal", "queue", "cadence", "criteria", "ratio", "model", "report", "source", "target",
    "exception", "policy", "audit", "matrix", "playbook", "map", "brief", "calendar", "health", "budget",
    "forecast", "limit", "register", "index",
)
TERM_QUALIFIERS = ("Net", "Gross", "Weighted", "Qualified", "Active", "Blended", "Rolling", "Open", "Committed",
                   "Median")
SYNONYMS = {"rate": "percentage", "score": "grade", "cycle": "cycle time", "velocity": "speed",
            "coverage": "cover", "owner": "lead", "review": "check", "window": "period", "threshold": "bar",
            "backlog": "pile", "plan": "roadmap", "signal": "indicator", "queue": "list", "cadence": "rhythm",
            "ratio": "multiple", "report": "dashboard", "target": "goal", "policy": "rule", "map": "chart",
            "health": "status", "forecast": "projection", "limit": "cap", "register": "log", "index": "measure"}
DEFINITIONS = (
    "How {team} measures {what} for every {record}, read from the CRM each {period}.",
    "The agreed way to judge {what}: a {record} counts once a {role} has confirmed it.",
    "{What} as both teams report it in the monthly review, for every {record} in the period.",
    "The point at which {what} changes who works the {record}: marketing before it, sales after.",
    "A number or list that tells a {role} where {what} stands before the next call.",
    "What {team} writes down about {what} so that the other team can trust it without asking.",
)
DEFINITION_MORE = (
    "It is counted from the first touch to the last, in business days, and excludes weekends.",
    "It is reviewed every {period} and changed only when both teams agree.",
    "It is not a forecast: it describes what already happened to the {record}.",
    "Records without an owner are left out until someone claims them.",
    "The CRM report that shows it is named after it, so nobody has to rebuild it.",
    "For {industry} accounts the same rule applies, with the invoice volume checked first.",
    "Marketing operations owns the field in the CRM; sales development fills it in on the first call.",
    "A {role} sees it on the account page, next to the last {n} activities.",
    "When the two teams disagree on a {record}, the definition here decides, not the dashboard.",
    "It was agreed at the planning meeting and has not changed since, apart from the wording.",
)
EXAMPLES = (
    "A {industry} company with {n} hundred invoices a month: the {role} sees {what} in the weekly report.",
    "{company} moved from {n} to {n2} on {what} in one quarter after the rollout.",
    "When a {role} at a {industry} firm asked for a demo, {what} decided who called them back.",
)
DIFFERENCES = (
    "{What} looks at the {record}; {other} looks at the whole account.",
    "{What} is measured by {team}; {other} by the other team, on the same records.",
    "{What} is a fact about the past; {other} is an estimate of what comes next.",
)
RECORDS = ("lead", "opportunity", "account", "contact", "deal", "renewal")
PERIODS = ("week", "month", "quarter")
FIRST_NAMES = (
    "Ada", "Ben", "Cleo", "Dev", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jonah", "Kira", "Luca", "Mina", "Noor",
    "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Xena", "Yusuf", "Zoe", "Aiko", "Bram",
    "Carla", "Dario", "Eva", "Farid", "Gwen", "Hana", "Ivo", "Jana", "Kofi", "Lena", "Marek", "Nia", "Otto",
    "Petra", "Ravi", "Sofia", "Theo", "Ulla", "Vik", "Wanda", "Yara", "Zeno",
)
PERSONA_ROLES = (
    "Group Financial Controller", "Head of Shared Services", "Finance Systems Lead", "Treasury Manager",
    "Chief Operating Officer", "Purchasing Director", "Internal Audit Manager", "Payroll and AP Supervisor",
    "Regional Finance Manager", "Head of Procurement Operations", "ERP Product Owner", "Budget Holder",
    "Site Operations Manager", "Chief Information Officer", "Data Protection Officer", "AP Team Lead",
    "Management Accountant", "Financial Planning Lead", "Head of Supplier Relations", "Compliance Manager",
    "Facilities Director", "Project Accountant", "Credit Controller", "Finance Transformation Lead",
)
GOALS = (
    "Close the books in {n} days instead of {n2}", "Get approvals back in days, not weeks",
    "Answer every supplier query with one search", "Catch duplicate invoices before payment",
    "Report {topic} to the board without a spreadsheet", "Keep {topic} audit-ready all year",
    "Free the team from keying invoices into {erp}", "Take every early payment discount on offer",
    "See committed spend before the invoice arrives", "Roll out one approval flow across {n} entities",
)
PAINS = (
    "Invoices wait in someone's inbox while they are on holiday", "{topic} is done by hand in {erp}",
    "Suppliers call every day about late payments", "The close means overtime for the whole team",
    "Nobody can say who approved a payment and when", "Bank detail changes arrive by e-mail and are trusted",
    "{topic} depends on one person who knows the rules", "Each entity has its own way of handling {topic}",
    "Reports on {topic} are {n} days out of date", "Auditors ask for evidence that takes a week to collect",
)
OBJECTIONS = (
    ("We already have {erp} for this.",
     "Most customers keep {erp}; we take care of {topic} and post the result into it, both ways."),
    ("Our approval rules are too complicated for a standard tool.",
     "Walk me through them: most rules combine amounts, cost centres and entities, set up without code."),
    ("We do not have time for a project this quarter.",
     "Onboarding takes about {n} weeks and keeps your close week free; our team does the configuration."),
    ("How do we know our data is safe with you?",
     "The security pack answers the usual questionnaire; your IT security lead can ask us anything after."),
    ("{rival} is cheaper.", "Compare the cost per invoice after a year, including the hours your team spends."),
    ("We tried automation before and it failed.",
     "Send us {n} of your own invoices, the messy ones too, and we run them through live in the demo."),
    ("Will this replace my team?",
     "It replaces the keying and the chasing, not the people: the team moves to exceptions and supplier data."),
)
SUMMARIES = (
    "{Name} runs {topic} for a {industry} company and is measured on {topic2}.",
    "{Name} is usually the first to ask about {topic}, and the last to agree to a change in {erp}.",
    "{Name} has seen automation promises before and believes what works on their own invoices.",
    "If {Name} trusts us, the {role} hears about it; if not, the deal stalls quietly.",
    "{Name} reports to the {role} and spends most of the month on {topic}.",
    "{Name} joins the evaluation late, usually when {topic} comes up, and can stop it with one question.",
    "{Name} wants fewer surprises at month end and fewer calls from suppliers about {topic2}.",
    "Before the demo, {Name} asks a colleague in {industry} what they use for {topic}.",
)
VALIDATED = ("{n} won and lost deals from 2026 and {n2} customer interviews",
             "interviews with {n} {role}s at customers and prospects", "{n} onboarding projects in {industry}")
