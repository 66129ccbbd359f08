import KithCore
import KithTestSupport

/// Builds a case file from records as if each had been saved in order.
func caseFile(_ family: Family, _ records: [any FamilyScoped]) -> CaseFile {
    Fixture.caseFile(family, records)
}
