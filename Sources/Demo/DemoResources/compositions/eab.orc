{- The Enhanced Address Book (eab), the paper's use case, as a composed WSE service.

   The user's contact cards come from the `contacts` Web service (synchronous REST). Each card is
   then kept up to date, as things happen, with the contact's location (asked once at open with
   `location.get`, then the `location` service's periodic notifications) and their presence (SIP
   NOTIFYs through the `sip` service). Every publication is one card change, pushed to the page as an
   event of the `eab` process: {"id","name","sip"} first, then {"id","name","location"} and
   {"id","name","presence":{"basic","note","since"?}} whenever news arrives; `since` is the time of
   the contact's presence change, when the SIP core's NOTIFY carries one. The process runs until the
   page cancels it.

   Bound by the orchestrator: `request` (the request's data, e.g. {"interval": 30}), `Service`
   and `Subscribe` (see docs/ORCHESTRATOR.md). -}

-- Seconds between location reports: the request's `interval`, or 10. (A pattern reads an optional
-- field: `request.interval` on a request without one would be an error reported to the client.)
val interval = (request >{. interval = seconds .}> seconds ; 10)

-- Every event of an asynchronous service, as it arrives.
def events(service, action, data) = Subscribe(service, action, data) >stream> repeat(stream.get)

def card(contact) = {. id = contact.id, name = contact.name .}

-- The location now (one `get`, so the card has one within a moment) and then every periodic report.
-- The page keeps the newest by `timestamp`, should the answer come after a report.
def located(contact) =
  ( Service("location", "get", {. address = contact.address .})
  | events("location", "subscribe", {. address = contact.address, interval = interval .}) ) >fix>
  card(contact) + {. location = {. latitude = fix.latitude, longitude = fix.longitude, accuracy = fix.accuracy, timestamp = fix.timestamp .} .}

-- A presence card part: {. basic, note, since .}; `note` is null when the contact set none, and
-- `since` (when the presentity changed) is left out when the event has none.
def presenceOf(event) =
  (event >{. note = note .}> note ; null) >note>
  ( event >{. since = since .}> {. basic = event.basic, note = note, since = since .}
  ; {. basic = event.basic, note = note .} )

def present(contact) =
  events("sip", "subscribe", {. entity = contact.sip .}) >event>
  (event >{. kind = "presence" .}> card(contact) + {. presence = presenceOf(event) .})

Service("contacts", "list") >answer> each(answer.contacts) >contact>
  ( card(contact) + {. sip = contact.sip .}
  | located(contact)
  | present(contact) )
