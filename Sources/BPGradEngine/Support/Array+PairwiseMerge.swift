extension Array {
    /// Neighbours merged two by two (the last stays alone when the count is odd): how decimated
    /// series halve their resolution when they fill up, so that every bucket keeps spanning the
    /// same number of points.
    public func mergedPairs(_ absorb: (inout Element, Element) -> Void) -> [Element] {
        var merged = [Element]()
        merged.reserveCapacity(count / 2 + 1)
        var i = 0
        while i < count {
            var b = self[i]
            if i + 1 < count { absorb(&b, self[i + 1]) }
            merged.append(b)
            i += 2
        }
        return merged
    }
}
