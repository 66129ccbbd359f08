import KithCore

extension Store {
    /// This user's text index file: sealed like their caseload index (only what they may see).
    var textIndexFile: (path: String, keyring: Keyring) {
        let file = indexFile
        return (layout.root + "/text" + String(file.name.dropFirst("index".count)), file.keyring)
    }

    /// How many lines the text index holds (0 before the first search).
    public var writtenLineCount: Int { textIndex?.lineCount ?? 0 }

    /// Lines holding `query` as a phrase (see `TextIndex.search`) in the families this user
    /// may see — or in `family` alone — newest first. The index is read from its sealed
    /// file (or built from the logs, once) at the first search, and each family changed
    /// since is read again.
    public func searchWritten(_ query: String, family: Family.ID? = nil, limit: Int = 200) throws(StoreError) -> (hits: [TextIndex.Hit], total: Int) {
        if let family {
            guard let entry = index[family], policy.canSee(entry.row) else { throw .accessDenied(family: family.raw) }
        }
        try refreshTextIndex()
        let policy = self.policy
        let index = self.index
        // (The index holds only the families the caseload shows; asked again, once per family.)
        return textIndex!.search(query, family: family, limit: limit) { id in index[id].map { policy.canSee($0.row) } ?? false }
    }

    /// Loads the text index, then reads again the families whose logs changed since their
    /// lines were taken, and forgets those this user no longer sees.
    func refreshTextIndex() throws(StoreError) {
        if textIndex == nil { loadTextIndex() }
        let rows = caseload()
        var seen = Set<Family.ID>()
        for row in rows {
            let id = row.familyID
            seen.insert(id)
            guard let size = index[id]?.logSize, textSizes[id] != size, damaged[id] == nil else { continue }
            guard let file = try? readCase(id) else { continue }
            textIndex!.replace(id, with: file.writtenLines)
            textSizes[id] = size
            textDirty = true
        }
        for id in textIndex!.families where !seen.contains(id) {
            textIndex!.remove(id)
            textSizes[id] = nil
            textDirty = true
        }
    }

    /// Reads the sealed file; anything unreadable is set aside and the index starts empty
    /// (it is built again from the logs: nothing is lost).
    private func loadTextIndex() {
        textIndex = TextIndex()
        textSizes = [:]
        let file = textIndexFile
        guard io.exists(file.path), let bytes = try? io.readAll(file.path) else { return }
        guard let contents = try? FrameFile.read(bytes, kind: .textIndex, owner: manifest.storeID, keyring: file.keyring),
              let payload = contents.payloads.first, !contents.isDamaged else {
            try? setAside(file.path)
            return
        }
        var r = BinaryReader(payload)
        do {
            var sizes: [Family.ID: Int64] = [:]
            for _ in 0..<(try r.count()) { sizes[Family.ID(try r.string())] = Int64(try r.varint()) }
            textIndex = try TextIndex.decode(try r.data())
            textSizes = sizes
        } catch {
            textIndex = TextIndex()
            try? setAside(file.path)
        }
    }

    /// Writes the text index, sealed, in place of the last.
    func writeTextIndex() throws(StoreError) {
        guard let textIndex, !isBeside else { return }
        var w = BinaryWriter(capacity: 1024)
        w.uvarint(UInt64(textSizes.count))
        for (id, size) in textSizes {
            w.string(id.raw)
            w.varint(size)
        }
        w.data(textIndex.encoded())
        let file = textIndexFile
        let bytes = FrameFile.header(kind: .textIndex, owner: manifest.storeID)
            + FrameFile.frame(w.bytes, kind: .textIndex, owner: manifest.storeID, sequence: 0, keyring: file.keyring)
        try io.writeAtomically(file.path, bytes)
        textDirty = false
    }
}
