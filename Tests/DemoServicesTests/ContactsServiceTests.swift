import DemoServices
import Testing
import WSETesting
import WSECore

@Suite("Demo contacts service over HTTP")
struct ContactsServiceTests {
    @Test("lists the other two subscribers with SIP and tel addresses")
    func listsContacts() async throws {
        let signal = PortSignal()
        try await serve(ContactsService().makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
            let result = try await http(.GET, "http://127.0.0.1:\(port)/contacts/v1/users/alice/contacts")
            #expect(result.status == 200)
            let contacts = try #require(result.json?["value"]?.arrayValue)
            #expect(contacts.map { $0["id"]?.stringValue } == ["bob", "carol"])
            let bob = contacts[0]
            #expect(bob["displayName"] == "Bob Baker")
            #expect(bob["imAddresses"] == ["sip:bob@wse.demo"])
            #expect(bob["mobilePhone"] == "tel:+15550100002")
        }
    }

    @Test("uses the configured SIP domain")
    func configuredDomain() async throws {
        let signal = PortSignal()
        let service = ContactsService(sipDomain: "ims.example.test")
        try await serve(service.makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
            let result = try await http(.GET, "http://127.0.0.1:\(port)/contacts/v1/users/carol/contacts")
            let sips = try #require(result.json?["value"]?.arrayValue).compactMap { $0["imAddresses"]?.arrayValue?.first?.stringValue }
            #expect(sips == ["sip:alice@ims.example.test", "sip:bob@ims.example.test"])
        }
    }

    @Test("one contact by id; unknown user or contact is 404 with an error body")
    func singleAndErrors() async throws {
        let signal = PortSignal()
        try await serve(ContactsService().makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
            let base = "http://127.0.0.1:\(port)/contacts/v1/users"
            let carol = try await http(.GET, "\(base)/bob/contacts/carol")
            #expect(carol.status == 200)
            #expect(carol.json?["mobilePhone"] == "tel:+15550100003")

            let unknownUser = try await http(.GET, "\(base)/mallory/contacts")
            #expect(unknownUser.status == 404)
            #expect(unknownUser.json?["error"]?["code"] == "user_not_found")
            #expect(unknownUser.json?["error"]?["message"]?.stringValue?.contains("mallory") == true)

            let unknownContact = try await http(.GET, "\(base)/bob/contacts/bob")
            #expect(unknownContact.status == 404)
            #expect(unknownContact.json?["error"]?["code"] == "contact_not_found")
        }
    }
}
