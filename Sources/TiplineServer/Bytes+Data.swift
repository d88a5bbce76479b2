import Foundation

extension Array where Element == UInt8 {
    /// Protobuf `bytes` fields are `Data` in Swift.
    var data: Data { Data(self) }
}
