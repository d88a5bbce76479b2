/// A tip's triage state: the fold of its triage events in commit order.
/// Later events override earlier ones field by field; tags are a set.
public struct TriageState: Sendable, Encodable, Equatable {
    public var status = "new"
    public var priority = "normal"
    public var assignee = ""
    public var tags: [String] = []

    public init() {}

    mutating func apply(status: String?, priority: String?, assignee: String?, addTags: [String], removeTags: [String]) {
        if let status { self.status = status }
        if let priority { self.priority = priority }
        if let assignee { self.assignee = assignee }
        var set = Set(tags)
        set.formUnion(addTags)
        set.subtract(removeTags)
        tags = set.sorted()
    }
}
