/// The main scan's entry for a digit, `+` or `(`: every number-led kind tried in turn.
extension PIIScanner {
    /// Tries every number-led kind at `start`, most specific first.
    func matchNumber(at start: Int) -> PIIMatch? {
        if self.wants(.ssn), let end = self.matchSSN(at: start) {
            return PIIMatch(start: start, end: end, kind: .ssn)
        }
        if self.wants(.itin), let end = self.matchITIN(at: start) {
            return PIIMatch(start: start, end: end, kind: .itin)
        }
        if self.wants(.ein), let end = self.matchEIN(at: start) {
            return PIIMatch(start: start, end: end, kind: .ein)
        }
        if self.wants(.aNumber), let end = self.matchCuedDigits(at: start, Self.aNumberCues) {
            return PIIMatch(start: start, end: end, kind: .aNumber)
        }
        if self.wants(.vaClaim), let end = self.matchCuedDigits(at: start, Self.vaClaimCues) {
            return PIIMatch(start: start, end: end, kind: .vaClaim)
        }
        if self.wants(.dateOfBirth), let end = self.matchDate(at: start),
            self.hasCue(before: start, Self.birthCues, window: self.contextWindow + 20)
        {
            return PIIMatch(start: start, end: end, kind: .dateOfBirth)
        }
        if self.wants(.ipAddress), let end = self.matchIPv4(at: start) {
            return PIIMatch(start: start, end: end, kind: .ipAddress)
        }
        if self.wants(.mbi), let end = self.matchMBI(at: start) {
            return PIIMatch(start: start, end: end, kind: .mbi)
        }
        if self.wants(.phone), let end = self.matchPhone(at: start) {
            return PIIMatch(start: start, end: end, kind: .phone)
        }
        if self.wants(.card), let end = self.matchCard(at: start) {
            return PIIMatch(start: start, end: end, kind: .card)
        }
        if self.wants(.address), let end = self.matchAddress(at: start) {
            return PIIMatch(start: start, end: end, kind: .address)
        }
        return nil
    }
}
