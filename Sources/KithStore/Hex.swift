extension Sequence<UInt8> {
    /// The bytes as lowercase hexadecimal, two digits each (checksums, markers).
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self { out += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
