/// Synthetic case text: plain phrases about made-up situations, never real notes.
import KithCore

enum DemoText {
    /// A phrase in English and in Welsh: a family's record is written in the family's language.
    typealias Both = (en: String, cy: String)

    static let notes: [ContactNote.Kind: [Both]] = [
        .visit: [
            ("Home visit. Talked about morning routines; {child} showed me a reading book and seemed settled.",
             "Ymweliad cartref. Buom yn siarad am drefn y bore; dangosodd {child} ei lyfr darllen i mi ac roedd yn ymddangos yn fodlon."),
            ("Visit with Nain present. Evenings are calmer since the new bedtime routine started.",
             "Ymweliad gyda Nain yno. Mae'r nosweithiau'n dawelach ers i'r drefn amser gwely newydd ddechrau."),
            ("Dad joined the visit for the first time. Talked about what is working and what is hard.",
             "Ymunodd Dad â'r ymweliad am y tro cyntaf. Buom yn siarad am beth sy'n gweithio a beth sy'n anodd."),
            ("Home visit. The family planned a weekend trip with Taid; {child} excited about it.",
             "Ymweliad cartref. Mae'r teulu wedi trefnu trip penwythnos gyda Taid; {child} yn edrych ymlaen."),
            ("Mum is worried about money this month; we went through the benefits check together at home.",
             "Mae Mam yn poeni am arian y mis hwn; aethon ni drwy'r gwiriad budd-daliadau gyda'n gilydd gartref."),
        ],
        .call: [
            ("Phone call with Mum about the housing repair. Agreed I will chase the housing officer.",
             "Galwad ffôn gyda Mam am atgyweirio'r tŷ. Cytunwyd y byddaf yn cysylltu â'r swyddog tai."),
            ("Short call: appointment with the health visitor moved to next week.",
             "Galwad fer: apwyntiad gyda'r ymwelydd iechyd wedi'i symud i'r wythnos nesaf."),
            ("Called Dad to check how the first week of the new routine went. Mostly good.",
             "Ffoniais Dad i weld sut aeth wythnos gyntaf y drefn newydd. Da gan amlaf."),
        ],
        .meeting: [
            ("Met {child} at school with the teacher. {child} says lunchtimes are better now.",
             "Cwrdd â {child} yn yr ysgol gyda'r athro. Mae {child} yn dweud bod amser cinio'n well nawr."),
            ("Team around the family meeting at school; attendance has improved this term.",
             "Cyfarfod tîm o amgylch y teulu yn yr ysgol; mae presenoldeb wedi gwella'r tymor hwn."),
        ],
        .message: [
            ("Text from Mum: the GP appointment is booked for Thursday.",
             "Neges gan Mam: mae'r apwyntiad gyda'r meddyg teulu wedi'i drefnu ar gyfer dydd Iau."),
            ("Message to the family confirming next week's visit.",
             "Neges i'r teulu yn cadarnhau ymweliad yr wythnos nesaf."),
        ],
    ]
    static let evidence: [Both] = [
        ("Seen during the visit.", "Wedi'i weld yn ystod yr ymweliad."), ("Mum's own words.", "Geiriau Mam ei hun."),
        ("From the school's report.", "O adroddiad yr ysgol."), ("Health visitor's view shared with consent.", "Barn yr ymwelydd iechyd, wedi'i rhannu gyda chaniatâd."),
        ("Discussed with the family; they agree.", "Wedi'i drafod gyda'r teulu; maen nhw'n cytuno."), ("The child told me.", "Dywedodd y plentyn wrtha i."),
        ("Observed over three visits.", "Wedi'i weld dros dri ymweliad."),
    ]
    static let participants: [Both] = [
        ("Mum and the worker", "Mam a'r gweithiwr"), ("Mum, Dad and the worker", "Mam, Dad a'r gweithiwr"),
        ("Mum, Nain and the worker", "Mam, Nain a'r gweithiwr"), ("Dad and the worker", "Dad a'r gweithiwr"),
        ("The family and the worker", "Y teulu a'r gweithiwr"),
    ]
    static let familyViews: [Both] = [
        ("We are doing better than last time but mornings are still hard.", "Rydyn ni'n gwneud yn well na'r tro diwethaf ond mae'r boreau'n dal yn anodd."),
        ("Mum feels more confident since the parenting group.", "Mae Mam yn teimlo'n fwy hyderus ers y grŵp rhianta."),
        ("The family want help with money and the house first.", "Mae'r teulu eisiau help gydag arian a'r tŷ yn gyntaf."),
        ("We want the children to be happy at school.", "Rydyn ni eisiau i'r plant fod yn hapus yn yr ysgol."),
    ]
    static let childVoices: [Both] = [
        ("I like it when Nain comes round.", "Dw i'n hoffi pan mae Nain yn dod draw."),
        ("School is OK now. I have a new friend.", "Mae'r ysgol yn iawn nawr. Mae gen i ffrind newydd."),
        ("I don't like it when it's loud at home.", "Dw i ddim yn hoffi pan mae'n swnllyd gartref."),
        ("I want to go to football club.", "Dw i eisiau mynd i'r clwb pêl-droed."),
        ("Too young to say; observed to be content and playful.", "Rhy ifanc i ddweud; i'w weld yn fodlon ac yn chwareus."),
    ]
    static let summaries: [Both] = [
        ("Real strengths in warmth and the wider family; the main worries are money and evenings.",
         "Cryfderau go iawn mewn cynhesrwydd a'r teulu ehangach; arian a'r nosweithiau yw'r prif bryderon."),
        ("Steady progress; housing is still the biggest concern.", "Cynnydd cyson; tai yw'r pryder mwyaf o hyd."),
        ("Things have improved since the plan started; routines are holding.", "Mae pethau wedi gwella ers i'r cynllun ddechrau; mae'r drefn yn dal."),
    ]
    static let review: (outcome: Both, notes: Both) = (("Outcomes discussed with the family.", "Trafodwyd y canlyniadau gyda'r teulu."),
                                                       ("Reviewed the plan together.", "Adolygwyd y cynllun gyda'n gilydd."))
    static let who = ["Mum", "Dad", "Worker", "Nain", "Mum and Dad", "Health visitor"]
    static let networkRoles: [Both] = [
        ("Picks the children up on Wednesdays", "Yn casglu'r plant ar ddydd Mercher"), ("Stays over at weekends", "Yn aros dros y penwythnos"),
        ("Someone to call in the evening", "Rhywun i'w ffonio gyda'r nos"), ("Helps with shopping", "Yn helpu gyda'r siopa"),
    ]
    static let disabilities: [Both] = [
        ("Autism (diagnosed)", "Awtistiaeth (wedi'i diagnosio)"), ("Hearing impairment", "Nam ar y clyw"),
        ("Cerebral palsy", "Parlys yr ymennydd"), ("Type 1 diabetes", "Diabetes math 1"),
    ]
    static let communication: [Both] = [
        ("Prefers written information", "Mae'n well ganddo wybodaeth ysgrifenedig"), ("Uses Makaton", "Yn defnyddio Makaton"),
        ("Needs an interpreter for appointments", "Angen cyfieithydd ar gyfer apwyntiadau"),
    ]
    static let flags = [
        "Review is overdue — please book it this week.", "Safety plan needs the network's agreement recorded.",
        "Please add the child's voice to the last assessment.", "No contact recorded for a month — is all well?",
    ]

    /// Goals with the actions that serve them, in English and Welsh (a family's plan is
    /// written in the family's language).
    struct GoalPlan {
        var goal: Both
        var actions: [Both]
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
