import Foundation
import Testing
import KithCore
import KithTestSupport

/// When consent holds, what it covers, and when it must be renewed.
@Suite struct ConsentTests {
    let today = Fixture.today
    let family = Fixture.family()

    func consent(_ id: String, _ scope: Consent.Scope = .informationSharing, person: String? = "P1", agencies: String? = "School, Health visiting",
                 given: Int = -30, until: Int? = nil, withdrawn: Int? = nil) -> Consent {
        Consent(id: Consent.ID(id), familyID: family.id, scope: scope, personID: person.map(Person.ID.init), givenBy: "Giver", givenOn: today.adding(days: given),
                method: .written, agencies: agencies, until: until.map { today.adding(days: $0) }, withdrawnOn: withdrawn.map { today.adding(days: $0) })
    }

    @Test func inForceFromTheDayGivenUntilItsLastDayOrTheDayItIsWithdrawn() {
        let c = consent("C", given: 0, until: 10)
        #expect(!c.isInForce(on: today.adding(days: -1)))
        #expect(c.isInForce(on: today) && c.isInForce(on: today.adding(days: 10)))
        #expect(!c.isInForce(on: today.adding(days: 11)))
        let w = consent("W", given: -5, withdrawn: 2)
        #expect(w.isInForce(on: today.adding(days: 1)) && !w.isInForce(on: today.adding(days: 2)))
        #expect(c.standing(on: today) == .lapsesSoon && c.standing(on: today.adding(days: 11)) == .lapsed)
        #expect(consent("L", until: 40).standing(on: today) == .inForce)
        #expect(w.standing(on: today.adding(days: 2)) == .withdrawn)
        #expect(consent("N", given: 3).standing(on: today) == .notYet)
    }

    @Test func sharingCoversTheAgenciesNamedWithoutRegardToCaseOrAccents() {
        let c = consent("C", agencies: "Ysgol Gymraeg, Health visiting;Heddlu")
        #expect(c.agencyList == ["Ysgol Gymraeg", "Health visiting", "Heddlu"])
        #expect(c.covers(agency: "ysgol  gymraeg") && c.covers(agency: "HEDDLU") && c.covers(agency: "Health Visiting"))
        #expect(!c.covers(agency: "Housing") && !c.covers(agency: "Ysgol"))
        #expect(consent("A", agencies: "Ysgol Gàel").covers(agency: "ysgol gael"))
        // Recorded before agencies were named: it covers any, as it was given.
        #expect(consent("L", agencies: nil).covers(agency: "Housing"))
        // Consent to support is not consent to share.
        #expect(!consent("S", .support, agencies: nil).covers(agency: "School"))
        let file = caseFile(family, [c, consent("X", agencies: "Housing", withdrawn: -1)])
        #expect(file.consentToShare(with: "heddlu", on: today)?.id == c.id)
        #expect(file.consentToShare(with: "Housing", on: today) == nil, "withdrawn yesterday")
    }

    @Test func renewalIsDueTwoWeeksBeforeItLapsesUntilRenewedOrWithdrawn() {
        let c = consent("C", until: 30)
        #expect(caseFile(family, [c]).reminders == [Reminder(kind: .consentRenewal, due: today.adding(days: 16), source: c.ref)])
        // Renewed by the same person for the same agencies, for longer: only the renewal
        // will be due.
        let renewal = consent("R", given: 0, until: 400)
        #expect(caseFile(family, [c, renewal]).reminders.map(\.source) == [renewal.ref])
        #expect(caseFile(family, [c, consent("O", given: 0)]).reminders.isEmpty, "no end date runs longer")
        // Not renewed by another person's consent, one for fewer agencies, or a shorter one.
        for other in [consent("P", person: "P2", given: 0, until: 400), consent("F", agencies: "School", given: 0, until: 400), consent("S", given: 0, until: 20)] {
            #expect(caseFile(family, [c, other]).reminders.map(\.source).contains(c.ref), "\(other.id)")
        }
        #expect(caseFile(family, [consent("W", until: 30, withdrawn: 0)]).reminders.isEmpty)
        var closed = family
        closed.status = .closed
        #expect(caseFile(closed, [c]).reminders.isEmpty, "a closed family has nothing due")
    }

    /// A consent written before people were picked and agencies named still reads.
    @Test func olderConsentRecordsStillRead() throws {
        let json = #"{"id":"C0","familyID":"\#(family.id.raw)","scope":"informationSharing","givenBy":"Giver","givenOn":"\#(today.iso)","method":"verbal"}"#
        let c = try JSONDecoder().decode(Consent.self, from: Data(json.utf8))
        #expect(c.personID == nil && c.agencies == nil && c.until == nil && c.covers(agency: "anyone"))
    }
}
