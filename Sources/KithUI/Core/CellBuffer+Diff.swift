/// A run of changed cells on one row, to be painted from `x`.
public struct CellRun: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]
}

extension CellBuffer {
    /// The runs of cells that differ from `previous`. When the sizes differ, everything
    /// is a change (the terminal was resized and must be repainted).
    public func changes(since previous: CellBuffer?) -> [CellRun] {
        var runs: [CellRun] = []
        let full = previous == nil || previous!.size != size
        for y in 0..<size.height {
            var x = 0
            while x < size.width {
                if !full, previous![x, y] == self[x, y] { x += 1; continue }
                var start = x
                // A changed continuation repaints from its wide leading cell.
                if self[start, y].isContinuation, start > 0 { start -= 1 }
                var cells: [Cell] = []
                var end = start
                while end < size.width && (full || previous![end, y] != self[end, y] || self[end, y].isContinuation) {
                    cells.append(self[end, y])
                    end += 1
                }
                runs.append(CellRun(x: start, y: y, cells: cells))
                x = end
            }
        }
        return runs
    }

    /// The number of cells a paint of `changes(since:)` touches (for tests and benchmarks).
    public func changedCellCount(since previous: CellBuffer?) -> Int {
        changes(since: previous).reduce(0) { $0 + $1.cells.count }
    }
}
