import Testing
import KithCore

@Suite struct SearchKeyTests {
    @Test func foldingRemovesCaseAndAccents() {
        #expect(SearchKey.fold("Siân Llŷr") == "sian llyr")
        #expect(SearchKey.fold("Łucja Wiśniewska") == "lucja wisniewska")
        #expect(SearchKey.fold("Ștefan Țurcanu") == "stefan turcanu")
        #expect(SearchKey.fold("Gwenllïan") == "gwenllian")
    }

    @Test func tokensSplitOnPunctuationAndJoinApostrophes() {
        #expect(SearchKey.tokens("Jones-Evans, O'Brien") == ["jones", "evans", "obrien"])
        #expect(SearchKey.tokens("ليلى حداد") == ["ليلى", "حداد"])
    }

    @Test(arguments: [("Rhys", "Reece"), ("Catherine", "Kathryn"), ("Evans", "Ifans"), ("Mohammed", "Muhammad"),
                      ("Sian", "Shaun"), ("Dafydd", "David"), ("Philip", "Filip"), ("Llyr", "Lir")])
    func phoneticKeysMatchSpellingVariants(a: String, b: String) {
        #expect(SearchKey.phonetic(SearchKey.fold(a)) == SearchKey.phonetic(SearchKey.fold(b)))
    }

    @Test func phoneticKeysKeepDifferentNamesApart() {
        #expect(SearchKey.phonetic("jones") != SearchKey.phonetic("evans"))
        #expect(SearchKey.phonetic("megan") != SearchKey.phonetic("morgan"))
    }

    @Test func queryMatchesWithoutAccentsByPrefixAndBySound() {
        let text = SearchText(["Teulu Llŷr", "K-7Q3M2X", "Siân", "Llŷr", "Gwenllian"])
        #expect(SearchQuery("Sian Llyr").matches(text))
        #expect(SearchQuery("sia").matches(text))
        #expect(SearchQuery("k-7q3").matches(text))
        #expect(SearchQuery("Shaun").matches(text))
        #expect(!SearchQuery("Sian Jones").matches(text))
        // Spelled beats sounded-out; a word matching neither way ranks nothing.
        #expect(SearchQuery("Sian Llyr").rank(text) == SearchQuery("Sian Llyr").bestRank)
        #expect(SearchQuery("Shaun Llyr").rank(text) == SearchQuery("Shaun Llyr").bestRank - 1)
        #expect(SearchQuery("Sian Jones").rank(text) == nil)
    }
}
