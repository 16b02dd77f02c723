import Foundation
import Hummingbird
import NIOCore
import WSECore

/// The JSON body of an admin or provider write (`/admin/v1/…`, `/provider/v1/…`): 413 `too_large` past
/// `maxBytes` (told by `Content-Length` before anything is read, or found while reading), 400
/// `bad_request` for a body that is not the expected shape, naming the shape and what is wrong.
enum JSONRequestBody {
    static let maxBytes = 64 * 1024

    /// A refused body, as its answer.
    struct Refusal: Error {
        let response: Response
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, expecting shape: String) async -> Result<T, Refusal> {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes { return .failure(tooLarge) }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            return .failure(tooLarge)
        } catch {
            return .failure(refusal(.badRequest, "bad_request", "the body could not be read: \(error)"))
        }
        do {
            return .success(try JSONDecoder().decode(T.self, from: Data(buffer: body)))
        } catch {
            return .failure(refusal(.badRequest, "bad_request", "the body must be \(shape): \(error)"))
        }
    }

    static func refusal(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Refusal {
        Refusal(response: (try? HTTPErrorBody(code: code, message: message).response(status: status)) ?? Response(status: status))
    }

    private static var tooLarge: Refusal {
        refusal(.contentTooLarge, "too_large", "the body is larger than \(maxBytes) bytes")
    }
}
