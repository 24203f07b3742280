/// Splits one CSV line (without its newline) into fields, in place where it can.
///
/// Unquoted fields are handed out as pointers into the line itself; only a field that starts
/// with `"` is copied, unquoted (inner `""` becoming `"`), into a scratch buffer. Fields never
/// span lines: the run format writes one record per line.
enum CSVLine {
    enum Failure: Error { case unterminatedQuote(field: Int), textAfterQuote(field: Int) }

    /// Calls `body(index, bytes, count)` for every field and returns the number of fields.
    /// A trailing `\r` is ignored. `body` returns false to stop early (the count is then the
    /// number of fields seen so far).
    @inline(__always)
    static func forEachField(_ line: UnsafePointer<UInt8>, _ length: Int, scratch: inout [UInt8],
                             _ body: (Int, UnsafePointer<UInt8>, Int) -> Bool) -> Result<Int, Failure> {
        var n = length
        if n > 0, line[n - 1] == 13 { n -= 1 }
        var start = 0, index = 0
        while true {
            if start < n, line[start] == 34 {
                // Quoted: copy into scratch until the closing quote.
                scratch.removeAll(keepingCapacity: true)
                var i = start + 1
                var closed = false
                while i < n {
                    let c = line[i]
                    if c == 34 {
                        if i + 1 < n, line[i + 1] == 34 { scratch.append(34); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    scratch.append(c); i += 1
                }
                guard closed else { return .failure(.unterminatedQuote(field: index)) }
                guard i == n || line[i] == 44 else { return .failure(.textAfterQuote(field: index)) }
                let keepGoing = scratch.withUnsafeBufferPointer { b in body(index, b.baseAddress ?? line, b.count) }
                index += 1
                if !keepGoing { return .success(index) }
                if i == n { return .success(index) }
                start = i + 1
                continue
            }
            var end = start
            while end < n, line[end] != 44 { end += 1 }
            let keepGoing = body(index, line + start, end - start)
            index += 1
            if !keepGoing || end >= n { return .success(index) }
            start = end + 1
        }
    }

    /// A field's bytes as a String (for text columns; numbers never go through String).
    static func string(_ p: UnsafePointer<UInt8>, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }
}

extension CSVLine {
    /// Every field of a line as text (headers), or nil when the quoting is broken.
    static func strings(_ line: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard let base = line.baseAddress else { return [""] }
        var out: [String] = [], scratch: [UInt8] = []
        let result = forEachField(base, line.count, scratch: &scratch) { _, p, n in out.append(string(p, n)); return true }
        if case .failure = result { return nil }
        return out
    }

    /// A short, printable excerpt of a field for an error message.
    static func excerpt(_ p: UnsafePointer<UInt8>, _ count: Int) -> String {
        let text = string(p, min(count, 40))
        return count > 40 ? text + "..." : text
    }
}

extension CSVLine {
    /// `text` with every control character (C0, DEL, C1) written as an escape: `\x1b`, or
    /// `\u{9b}` beyond ASCII. Messages quote what files contain, and an ESC or BEL reaching a
    /// terminal would drive it instead of being shown.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for s in text.unicodeScalars {
            if !isControl(s) { out.unicodeScalars.append(s) } else if s.value < 128 {
                out += "\\x" + (s.value < 16 ? "0" : "") + String(s.value, radix: 16)
            } else {
                out += "\\u{" + String(s.value, radix: 16) + "}"
            }
        }
        return out
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool { s.value < 32 || (0x7f...0x9f).contains(s.value) }
}
