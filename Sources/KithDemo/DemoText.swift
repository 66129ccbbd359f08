/// Synthetic case text: plain phrases about made-up situations, never real notes.
import KithCore

enum DemoText {
    static let notes: [ContactNote.Kind: [String]] = [
        .visit: [
            "Home visit. Talked about morning routines; {child} showed me a reading book and seemed settled.",
            "Visit with Nain present. Evenings are calmer since the new bedtime routine started.",
            "Dad joined the visit for the first time. Talked about what is working and what is hard.",
            "Home visit. The family planned a weekend trip with Taid; {child} excited about it.",
            "Mum is worried about money this month; we went through the benefits check together at home.",
        ],
        .call: [
            "Phone call with Mum about the housing repair. Agreed I will chase the housing officer.",
            "Short call: appointment with the health visitor moved to next week.",
            "Called Dad to check how the first week of the new routine went. Mostly good.",
        ],
        .meeting: [
            "Met {child} at school with the teacher. {child} says lunchtimes are better now.",
            "Team around the family meeting at school; attendance has improved this term.",
        ],
        .message: [
            "Text from Mum: the GP appointment is booked for Thursday.",
            "Message to the family confirming next week's visit.",
        ],
    ]
    static let notesWelsh = [
        "Ymweliad cartref. Buom yn siarad am drefn y bore; roedd {child} yn hapus i ddangos ei lyfr darllen.",
        "Galwad ffôn gyda Mam am atgyweirio'r tŷ. Byddaf yn cysylltu â'r swyddog tai.",
        "Ymweliad gyda Nain. Mae'r nosweithiau'n dawelach ers y drefn amser gwely newydd.",
    ]
    static let evidence = [
        "Seen during the visit.", "Mum's own words.", "From the school's report.", "Health visitor's view shared with consent.",
        "Discussed with the family; they agree.", "The child told me.", "Observed over three visits.",
    ]
    static let participants = ["Mum and the worker", "Mum, Dad and the worker", "Mum, Nain and the worker", "Dad and the worker", "The family and the worker"]
    static let familyViews = [
        "We are doing better than last time but mornings are still hard.",
        "Mum feels more confident since the parenting group.",
        "The family want help with money and the house first.",
        "We want the children to be happy at school.",
    ]
    static let childVoices = [
        "I like it when Nain comes round.", "School is OK now. I have a new friend.", "I don't like it when it's loud at home.",
        "I want to go to football club.", "Too young to say; observed to be content and playful.",
    ]
    static let summaries = [
        "Real strengths in warmth and the wider family; the main worries are money and evenings.",
        "Steady progress; housing is still the biggest concern.",
        "Things have improved since the plan started; routines are holding.",
    ]
    static let who = ["Mum", "Dad", "Worker", "Nain", "Mum and Dad", "Health visitor"]
    static let networkRoles = ["Picks the children up on Wednesdays", "Stays over at weekends", "Someone to call in the evening", "Helps with shopping"]
    static let disabilities = ["Autism (diagnosed)", "Hearing impairment", "Cerebral palsy", "Type 1 diabetes"]
    static let communication = ["Prefers written information", "Uses Makaton", "Needs an interpreter for appointments"]
    static let flags = [
        "Review is overdue — please book it this week.", "Safety plan needs the network's agreement recorded.",
        "Please add the child's voice to the last assessment.", "No contact recorded for a month — is all well?",
    ]

    /// Goals with the actions that serve them, in English and Welsh (a family's plan is
    /// written in the family's language).
    struct GoalPlan {
        var goal: (en: String, cy: String)
        var actions: [(en: String, cy: String)]
    }

    static let goalPlans: [GoalPlan] = [
        GoalPlan(goal: ("We want calmer mornings so the children get to school on time.",
                        "Rydyn ni eisiau boreau tawelach fel bod y plant yn cyrraedd yr ysgol mewn pryd."),
                 actions: [("Set up a morning routine chart", "Gwneud siart trefn y bore"),
                           ("Apply for the school breakfast club", "Gwneud cais am glwb brecwast yr ysgol"),
                           ("Get the school bags ready the night before", "Paratoi'r bagiau ysgol y noson cynt")]),
        GoalPlan(goal: ("We want to sort out our money so we are not worried every month.",
                        "Rydyn ni eisiau trefnu ein harian fel nad ydyn ni'n poeni bob mis."),
                 actions: [("Book an appointment with Citizens Advice", "Trefnu apwyntiad gyda Cyngor ar Bopeth"),
                           ("Check which benefits we can claim", "Gwirio pa fudd-daliadau y gallwn eu hawlio"),
                           ("Make a weekly budget together", "Gwneud cyllideb wythnosol gyda'n gilydd")]),
        GoalPlan(goal: ("We want the house to be warm and dry.", "Rydyn ni eisiau i'r tŷ fod yn gynnes ac yn sych."),
                 actions: [("Ask the housing officer for a repair date", "Gofyn i'r swyddog tai am ddyddiad trwsio"),
                           ("Apply for help with heating costs", "Gwneud cais am help gyda chostau gwresogi")]),
        GoalPlan(goal: ("We want to feel less alone and know who to call.", "Rydyn ni eisiau teimlo'n llai unig a gwybod pwy i'w ffonio."),
                 actions: [("Make a list of people to call when things are hard", "Gwneud rhestr o bobl i'w ffonio pan mae pethau'n anodd"),
                           ("Visit the family centre together", "Ymweld â'r ganolfan deulu gyda'n gilydd"),
                           ("Go to the parenting group on Tuesdays", "Mynd i'r grŵp rhianta ar ddydd Mawrth")]),
        GoalPlan(goal: ("We want the children to sleep better.", "Rydyn ni eisiau i'r plant gysgu'n well."),
                 actions: [("Keep to the same bedtime every night", "Cadw at yr un amser gwely bob nos"),
                           ("Register with the GP", "Cofrestru gyda'r meddyg teulu"),
                           ("Screens off an hour before bed", "Diffodd y sgriniau awr cyn gwely")]),
    ]
    static let whoWelsh = ["Mam", "Dad", "Gweithiwr", "Nain", "Mam a Dad", "Ymwelydd iechyd"]
    static let checksEnglish = ["Worker", "Nain", "Health visitor", "Mum"]
    static let checksWelsh = ["Gweithiwr", "Nain", "Ymwelydd iechyd", "Mam"]
}
