'use strict';
// The EAB page's pure logic (Public/retailer/eab-logic.js): newest location, SIP address keys,
// conversations, the map's layout and scale bar.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { isNewerLocation, sipKey, Conversations, layoutMap, scaleBar } =
  require(path.join(__dirname, '..', '..', '..', 'Public', 'retailer', 'eab-logic.js'));

const fix = (timestamp, latitude = 48.85, longitude = 2.29) => ({ latitude, longitude, accuracy: 10, timestamp });

test('a location replaces the card\'s unless it is older than it', () => {
  assert.equal(isNewerLocation(null, fix('2026-12-05T10:00:00Z')), true, 'the first fix');
  assert.equal(isNewerLocation(fix('2026-12-05T10:00:00Z'), fix('2026-12-05T10:00:10Z')), true, 'a later report');
  assert.equal(isNewerLocation(fix('2026-12-05T10:00:10Z'), fix('2026-12-05T10:00:00Z')), false,
    'the answer to get arriving after a newer report');
  assert.equal(isNewerLocation(fix('2026-12-05T10:00:10Z'), fix('2026-12-05T10:00:10Z', 48.9)), true, 'the same time');
  assert.equal(isNewerLocation(fix('2026-12-05T10:00:10Z'), fix('soon')), true, 'an unreadable timestamp is taken');
  assert.equal(isNewerLocation(fix('soon'), fix('2026-12-05T10:00:00Z')), true);
  assert.equal(isNewerLocation(fix('2026-12-05T10:00:00Z'), { latitude: 'x', longitude: 2 }), false, 'not a position');
  assert.equal(isNewerLocation(fix('2026-12-05T10:00:00Z'), null), false);
});

test('SIP addresses compare as addresses of record: scheme and host ignore case, the user does not', () => {
  assert.equal(sipKey('sip:bob@wse.demo'), 'sip:bob@wse.demo');
  assert.equal(sipKey('SIP:bob@WSE.Demo'), 'sip:bob@wse.demo');
  assert.equal(sipKey('"Bob Baker" <sip:bob@WSE.demo;transport=udp>;tag=12'), 'sip:bob@wse.demo');
  assert.equal(sipKey('sip:bob@127.0.0.1:5060;transport=tcp'), 'sip:bob@127.0.0.1:5060');
  assert.equal(sipKey('sips:bob@wse.demo?subject=x'), 'sips:bob@wse.demo');
  assert.notEqual(sipKey('sip:Bob@wse.demo'), sipKey('sip:bob@wse.demo'));
  for (const bad of ['tel:+15550100', 'bob@wse.demo', 'sip:wse.demo', '', null, 42]) assert.equal(sipKey(bad), null, String(bad));
});

test('a conversation keeps its messages in order, settles sent ones and counts unread ones when closed', () => {
  const conversations = new Conversations();
  const bob = 'sip:bob@wse.demo';
  const sent = conversations.outgoing(bob, 'Lunch?', 1000);
  assert.equal(sent.state, 'sending');
  conversations.incoming(bob, 'Yes, at noon', 2000);
  assert.equal(conversations.unread(bob), 1, 'not open: unread');
  conversations.settle(bob, sent.id, 'sent');
  assert.deepEqual(conversations.messages(bob).map(({ direction, text, state }) => [direction, text, state]),
    [['out', 'Lunch?', 'sent'], ['in', 'Yes, at noon', 'received']]);

  conversations.setOpen(bob);
  assert.equal(conversations.unread(bob), 0, 'opening reads them');
  conversations.incoming(bob, 'See you', 3000);
  assert.equal(conversations.unread(bob), 0, 'the open conversation gets no unread');

  const failed = conversations.outgoing('sip:carol@wse.demo', 'hello', 4000);
  conversations.settle('sip:carol@wse.demo', failed.id, 'failed', 'Carol cannot be reached.');
  assert.deepEqual(conversations.messages('sip:carol@wse.demo')[0].error, 'Carol cannot be reached.');
  assert.equal(conversations.settle(bob, 999, 'sent'), null, 'an unknown message');
  assert.deepEqual(conversations.messages('sip:nobody@wse.demo'), []);

  conversations.clear();
  assert.deepEqual(conversations.messages(bob), []);
  assert.equal(conversations.open, null);
});

test('a conversation keeps only its newest messages', () => {
  const conversations = new Conversations({ limit: 3 });
  for (let index = 1; index <= 5; index += 1) conversations.incoming('sip:a@b', `m${index}`, index);
  assert.deepEqual(conversations.messages('sip:a@b').map((message) => message.text), ['m3', 'm4', 'm5']);
  assert.equal(conversations.unread('sip:a@b'), 5, 'what was dropped still counted as unread when it came');
});

test('the map fits the contacts in the drawing, north up and east right, with the same scale both ways', () => {
  const eiffel = { id: 'bob', latitude: 48.8584, longitude: 2.2945, accuracy: 50 };
  const louvre = { id: 'carol', latitude: 48.8606, longitude: 2.3376, accuracy: 10 };
  const layout = layoutMap([eiffel, louvre, { id: 'nowhere', latitude: null, longitude: 2 }], { width: 600, height: 400, padding: 40 });
  assert.deepEqual(layout.points.map((point) => point.id), ['bob', 'carol'], 'unlocated contacts are left out');
  const [bob, carol] = layout.points;
  assert.ok(carol.x > bob.x, 'the Louvre is east of the Eiffel Tower');
  assert.ok(carol.y < bob.y, 'and slightly north of it: higher on the drawing');
  // The two are about 3.15 km apart east-west: the width between the paddings holds exactly that span.
  assert.ok(Math.abs(carol.x - bob.x - 520) < 1e-6, `spread ${carol.x - bob.x}`);
  assert.ok(Math.abs(layout.metresPerPixel * 520 - 3153) < 5, `metres per pixel ${layout.metresPerPixel}`);
  assert.ok(Math.abs(bob.radius - 50 / layout.metresPerPixel) < 1e-9, 'accuracy in pixels');
  assert.ok(Math.abs((bob.y + carol.y) / 2 - 200) < 1e-6, 'centred vertically');
  for (const point of layout.points) assert.ok(point.x > 40 - 1e-6 && point.x < 560 + 1e-6 && point.y > 40 && point.y < 360);
});

test('one contact alone sits in the middle of at least the minimum span', () => {
  const layout = layoutMap([{ id: 'bob', latitude: 48.8584, longitude: 2.2945 }], { width: 300, height: 300, padding: 50, minSpan: 1000 });
  assert.deepEqual([layout.points[0].x, layout.points[0].y], [150, 150]);
  assert.equal(layout.metresPerPixel, 1000 / 200);
  assert.equal(layout.points[0].radius, 0, 'no accuracy: no circle');
  assert.equal(layoutMap([], { width: 300, height: 300 }), null);
  assert.equal(layoutMap([{ id: 'a', latitude: 1, longitude: 1 }], { width: 40, height: 300, padding: 20 }), null, 'no room');
});

test('the scale bar is the longest round length that fits', () => {
  assert.deepEqual(scaleBar(10, 120), { metres: 1000, pixels: 100, label: '1 km' });
  assert.deepEqual(scaleBar(10, 99), { metres: 500, pixels: 50, label: '500 m' });
  assert.deepEqual(scaleBar(1, 300), { metres: 200, pixels: 200, label: '200 m' });
  assert.deepEqual(scaleBar(100, 120), { metres: 10000, pixels: 100, label: '10 km' });
  assert.deepEqual(scaleBar(2, 30), { metres: 50, pixels: 25, label: '50 m' });
});
