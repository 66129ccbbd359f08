/// Synthetic names from the communities a Welsh early-help team works with. Names are
/// combined at random: no entry describes a real person.
enum DemoNames {
    enum Origin: CaseIterable { case welsh, english, polish, romanian, arabic, somali }

    struct Pool {
        var female: [String]
        var male: [String]
        var surnames: [String]
        /// Names in the family's own script, kept as aliases (Arabic), by transliteration.
        var script: [String: String] = [:]
    }

    static func pool(_ origin: Origin) -> Pool {
        switch origin {
        case .welsh:
            return Pool(female: ["Siân", "Gwenllian", "Elin", "Ffion", "Mali", "Cerys", "Nia", "Lowri", "Megan", "Angharad", "Catrin", "Seren", "Eleri", "Heledd", "Non", "Gwenno", "Awen", "Alaw"],
                        male: ["Rhys", "Dafydd", "Llŷr", "Iestyn", "Osian", "Gethin", "Tomos", "Aled", "Huw", "Ifan", "Cai", "Owain", "Steffan", "Guto", "Deio", "Siôn", "Gruffudd", "Emyr"],
                        surnames: ["Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths", "Pritchard", "Llywelyn", "Rhydderch", "Parri", "Ifans", "Bowen", "Vaughan", "Llŷr", "Prys", "Hywel"])
        case .english:
            return Pool(female: ["Amelia", "Isla", "Ava", "Mia", "Lily", "Grace", "Freya", "Poppy", "Evie", "Ruby", "Chloe", "Holly", "Jessica", "Katie"],
                        male: ["Oliver", "Jack", "Harry", "George", "Noah", "Charlie", "Leo", "Alfie", "Jacob", "Thomas", "Kyle", "Liam", "Mason", "Callum"],
                        surnames: ["Smith", "Taylor", "Brown", "Wilson", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "White", "Hall", "Green", "Wood", "Harris", "Clarke"])
        case .polish:
            return Pool(female: ["Zofia", "Łucja", "Małgorzata", "Agnieszka", "Ewa", "Zuzanna", "Katarzyna", "Magdalena", "Joanna"],
                        male: ["Jakub", "Wojciech", "Paweł", "Krzysztof", "Tomasz", "Mateusz", "Łukasz", "Piotr", "Michał"],
                        surnames: ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Dąbrowski", "Kozłowski"])
        case .romanian:
            return Pool(female: ["Ioana", "Elena", "Maria", "Ana", "Cristina", "Irina", "Andreea", "Alexandra", "Bianca"],
                        male: ["Andrei", "Mihai", "Ștefan", "Alexandru", "Gheorghe", "Ionuț", "Cătălin", "Răzvan", "Vlad"],
                        surnames: ["Popescu", "Ionescu", "Munteanu", "Țurcanu", "Constantinescu", "Stănescu", "Dumitrescu", "Șerban", "Bălan", "Răducanu"])
        case .arabic:
            return Pool(female: ["Layla", "Maryam", "Fatima", "Nour", "Amira", "Huda", "Salma", "Yasmin"],
                        male: ["Yusuf", "Omar", "Ahmed", "Khaled", "Muhammad", "Hamza", "Sami", "Karim"],
                        surnames: ["Haddad", "Al-Khatib", "Mansour", "Al-Ali", "Darwish", "Nasser", "Saleh", "Khoury"],
                        script: ["Layla": "ليلى", "Maryam": "مريم", "Fatima": "فاطمة", "Nour": "نور", "Amira": "أميرة", "Huda": "هدى",
                                 "Salma": "سلمى", "Yasmin": "ياسمين", "Yusuf": "يوسف", "Omar": "عمر", "Ahmed": "أحمد", "Khaled": "خالد",
                                 "Muhammad": "محمد", "Hamza": "حمزة", "Sami": "سامي", "Karim": "كريم", "Haddad": "حداد", "Al-Khatib": "الخطيب",
                                 "Mansour": "منصور", "Al-Ali": "العلي", "Darwish": "درويش", "Nasser": "ناصر", "Saleh": "صالح", "Khoury": "خوري"])
        case .somali:
            return Pool(female: ["Ayaan", "Hodan", "Faadumo", "Nimco", "Sahra", "Hamdi", "Ubah", "Ifrah"],
                        male: ["Abdi", "Mahad", "Cabdi", "Warsame", "Liban", "Yasin", "Guled", "Bashiir"],
                        surnames: ["Warsame", "Abdullahi", "Hassan", "Farah", "Jama", "Mohamed", "Osman", "Ali", "Yusuf", "Aden"])
        }
    }

    /// Polish surnames agree with the person: Kowalski / Kowalska.
    static func surname(_ surname: String, female: Bool, origin: Origin) -> String {
        guard origin == .polish, female else { return surname }
        if surname.hasSuffix("ski") { return String(surname.dropLast(3)) + "ska" }
        if surname.hasSuffix("cki") { return String(surname.dropLast(3)) + "cka" }
        return surname
    }

    static let areas = ["Machynlleth", "Aberystwyth", "Tywyn", "Dolgellau", "Llanidloes", "Y Drenewydd", "Y Bala", "Corris", "Y Borth", "Llanbrynmair", "Aberdyfi", "Talybont"]
    static let streets = ["Heol y Bont", "Stryd Maengwyn", "Ffordd yr Orsaf", "Maes y Dre", "Bryn Glas", "Heol Penrallt", "Cae Crwn", "Llys Hafren", "Ffordd Pentre", "Rhes y Capel", "Station Road", "Mill Street", "Park Lane"]
    static let schools = ["Ysgol Gynradd Glan Dyfi", "Ysgol Bro Hyddgen", "Ysgol Gynradd Maesglas", "Ysgol y Borth", "Ysgol Uwchradd Tywyn", "Meithrinfa Cylch Bach", "Ysgol Penglais", "Ysgol Gymraeg Aberystwyth"]
    static let agencies: [(agency: String, role: String)] = [
        ("Health visiting", "Health visitor"), ("School", "Additional learning needs coordinator"), ("GP practice", "GP"),
        ("Housing association", "Housing officer"), ("Adult mental health", "Community psychiatric nurse"),
        ("Substance misuse service", "Key worker"), ("Women's Aid", "IDVA"), ("Youth service", "Youth worker"),
        ("Flying Start", "Family support worker"), ("Citizens Advice", "Debt adviser"),
    ]
    static let professionalNames = ["Bethan Puw", "Gareth Ellis", "Priya Shah", "Marc Jenkins", "Sioned Rees", "Dr Anwen Hopkin", "Lisa Carter", "Iwan Maddocks", "Rachel Owen", "Emlyn Price", "Joanna Baker", "Tegwen Lloyd"]
}
