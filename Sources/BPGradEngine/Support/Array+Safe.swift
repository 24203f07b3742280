extension Array {
    /// The element at `i`, or nil outside the array: for indices that come from input or from
    /// another frame's data.
    public subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
