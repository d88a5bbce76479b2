// The shape of DomainHash's input: a length-prefixed label, then a tail
// copied last. The label loop uses r12 as scratch; the final copyMemory
// becomes `jmp memcpy`, so r12 still holds a label byte when the closure
// returns, and Box.init takes it for a thrown error. With E == Never the
// error path has no code and execution runs into the next function.
public func fill(_ label: String, _ tail: [UInt8]) -> Box {
    let labelBytes = Array(label.utf8)
    return Box(count: 1 + labelBytes.count + tail.count) { buffer in
        buffer[0] = UInt8(labelBytes.count)
        for (i, byte) in labelBytes.enumerated() { buffer[1 + i] = byte }
        tail.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[(1 + labelBytes.count)...]).copyMemory(from: $0) }
    }
}
