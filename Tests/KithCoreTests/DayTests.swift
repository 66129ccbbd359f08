import Testing
@testable import KithCore

@Suite struct DayTests {
    @Test func parsesAndPrintsISO() {
        let day = Day(iso: "2024-02-29")
        #expect(day?.iso == "2024-02-29")
        #expect(Day(iso: "2023-02-29") == nil)
        #expect(Day(iso: "2024-13-01") == nil)
        #expect(Day(iso: "24-02-01") == nil)
    }

    @Test func arithmeticCrossesMonthsAndYears() {
        let day = Day(iso: "2026-12-30")!
        #expect(day.adding(days: 3).iso == "2027-01-02")
        #expect(Day(iso: "2026-01-31")!.adding(months: 1).iso == "2026-02-28")
        #expect(day.days(until: Day(iso: "2027-01-02")!) == 3)
    }

    @Test func agesCountWholeYearsAndMonths() {
        let born = Day(iso: "2019-11-23")!
        let today = Day(iso: "2026-11-22")!
        #expect(born.age(on: today) == 6)
        #expect(born.age(on: today.adding(days: 1)) == 7)
        #expect(Day(iso: "2025-05-10")!.ageInMonths(on: today) == 18)
    }

    @Test func weekdayIsMondayBased() {
        #expect(Day(iso: "2026-11-23")!.weekday == 0) // a Monday
        #expect(Day(iso: "2026-11-22")!.weekday == 6) // a Sunday
    }
}
