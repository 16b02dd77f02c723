"""Tables and plot of a poll-vs-ws result file (run.py writes one; this redraws it).

    python3 bench/poll-vs-ws/report.py bench/poll-vs-ws/results/DATE.json [--plot docs/poll-vs-ws.png]
"""

import argparse
import json
from pathlib import Path

WS = "WebSocket (WSE)"
PAPER_HEADER_HTTP, PAPER_HEADER_WS = 871, 2  # bytes per message, the paper's reference [9]
PAPER_OVERHEAD = (500, 1000)
PAPER_LATENCY = 3


def per_change(phase, mode, key):
    return phase["modes"][mode]["totals"].get(key, 0) / max(1, phase["changes"])


def overhead(phase, mode):
    """Wire bytes per change that are not the changes themselves: headers, envelopes, TCP/IP."""
    return per_change(phase, mode, "ip_bytes") - per_change(phase, mode, "data")


def ratio(a, b):
    return a / b if b else float("inf")


def fmt(value, digits=0):
    if value is None:
        return "—"
    if value == float("inf"):
        return "∞"
    return f"{value:,.{digits}f}"


def latency_ratio(delay, ws_delay):
    if not (delay and ws_delay):
        return "—"
    value = delay / ws_delay
    return f"{fmt(value, 1 if value < 10 else 0)}:1"


def rate_label(rate):
    period = 1 / rate
    return f"1 per {period:g} s" if rate < 1 and abs(period - round(period)) < 1e-9 else f"{rate:g}/s"


def markdown(results):
    modes = list(results["phases"][0]["modes"])
    lines = ["| rate (changes) | page | seen | HTTP/WS bytes per change: headers + envelope + data | "
             "with TCP/IP | TCP segments | messages | empty answers | delay p50 / p99 / max (ms) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for phase in results["phases"]:
        for mode in modes:
            figures = phase["modes"][mode]
            totals = figures["totals"]
            delay = figures["delay_ms"]
            empty = totals.get("msg_down_response_empty", 0)
            lines.append(
                f"| {rate_label(phase['rate'])} ({phase['changes']}) | {mode} | {figures['seen']} | "
                f"{fmt(per_change(phase, mode, 'payload'))} = {fmt(per_change(phase, mode, 'hdr'))} + "
                f"{fmt(per_change(phase, mode, 'env'))} + {fmt(per_change(phase, mode, 'data'))} | "
                f"{fmt(per_change(phase, mode, 'ip_bytes'))} | {fmt(per_change(phase, mode, 'segments'), 1)} | "
                f"{fmt(per_change(phase, mode, 'messages'), 1)} | {empty if mode != WS else '—'} | "
                f"{fmt(delay['p50'], 1)} / {fmt(delay['p99'], 1)} / {fmt(delay['max'], 1)} |")
    lines += ["", "Against the WebSocket page, per change (polling ÷ WebSocket):", "",
              "| rate | page | protocol headers | headers + envelope | overhead on the wire (all but the data) | "
              "bytes with TCP/IP | delay p50 |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for phase in results["phases"]:
        ws_delay = phase["modes"][WS]["delay_ms"]["p50"]
        for mode in modes:
            if mode == WS:
                continue
            delay = phase["modes"][mode]["delay_ms"]["p50"]
            lines.append(
                f"| {rate_label(phase['rate'])} | {mode} | "
                f"{fmt(ratio(per_change(phase, mode, 'hdr'), per_change(phase, WS, 'hdr')))}:1 | "
                f"{fmt(ratio(per_change(phase, mode, 'hdr') + per_change(phase, mode, 'env'), per_change(phase, WS, 'hdr') + per_change(phase, WS, 'env')), 1)}:1 | "
                f"{fmt(ratio(overhead(phase, mode), overhead(phase, WS)), 1)}:1 | "
                f"{fmt(ratio(per_change(phase, mode, 'ip_bytes'), per_change(phase, WS, 'ip_bytes')), 1)}:1 | "
                f"{latency_ratio(delay, ws_delay)} |")
    lines += ["", "Where the delay goes, p50 / p99 in ms: from the change to the answer (or frame) that carries it "
              "on the wire, then from the wire to the page's JavaScript; for WSE, the source's connector IN POST "
              "on the wire comes first:", "",
              "| rate | " + " | ".join(f"{mode}: change → wire, wire → page" for mode in modes)
              + " | WSE: change → POST on the wire |", "|" + " --- |" * (len(modes) + 2)]
    for phase in results["phases"]:
        cells = []
        for mode in modes:
            figures = phase["modes"][mode]
            to_wire, in_browser = figures.get("to_wire_ms", {}), figures.get("in_browser_ms", {})
            cells.append(f"{fmt(to_wire.get('p50'), 1)} / {fmt(to_wire.get('p99'), 1)}, "
                         f"{fmt(in_browser.get('p50'), 1)} / {fmt(in_browser.get('p99'), 1)}")
        push = phase.get("push_on_wire_ms", {})
        lines.append(f"| {rate_label(phase['rate'])} | " + " | ".join(cells)
                     + f" | {fmt(push.get('p50'), 1)} / {fmt(push.get('p99'), 1)} |")
    lines += ["", backend_leg(results), "", paper_table(results)]
    return "\n".join(lines)


def backend_leg(results):
    """What the source's pushes into WSE cost (connector IN): not in the page figures, shown apart."""
    changes = sum(phase["changes"] for phase in results["phases"])
    push = {key: sum(phase["push"].get(key, 0) for phase in results["phases"]) for key in
            ("hdr", "env", "ip_bytes", "segments")}
    return (f"WSE's backend leg, not counted above: each change also crossed loopback once as a connector IN "
            f"push from the source to the node (POST and its `202`), {fmt(push['hdr'] / changes)} bytes of HTTP "
            f"headers + {fmt(push['env'] / changes)} of JSON bodies (the change inside the push body is counted as "
            f"envelope), {fmt(push['ip_bytes'] / changes)} bytes with TCP/IP, {fmt(push['segments'] / changes, 1)} "
            f"segments per change.")


def exchange_headers(results, mode):
    """Mean header bytes of one request + its response, over the whole run."""
    headers = sum(phase["modes"][mode]["totals"].get("hdr", 0) for phase in results["phases"])
    requests = sum(phase["modes"][mode]["totals"].get("msg_up_request", 0) for phase in results["phases"])
    return headers / requests if requests else None


def ws_event_figures(results):
    """Events, and the mean data and frame header bytes of one event frame, over the whole run.

    The header bytes of the other frames in the windows are known: the browser's acks and pongs are
    masked frames under 126 bytes (6 bytes of header), the node's pings are empty (2 bytes)."""
    totals = [phase["modes"][WS]["totals"] for phase in results["phases"]]
    events = sum(t.get("msg_down_event", 0) for t in totals)
    data = sum(t.get("data", 0) for t in totals)
    other = sum(6 * t.get("msg_up_ack", 0) + 6 * t.get("msg_up_pong", 0) + 2 * t.get("msg_down_ping", 0)
                for t in totals)
    headers = sum(t.get("hdr", 0) for t in totals) - other
    return events, (data / events if events else None), (headers / events if events else None)


def paper_table(results):
    phases = results["phases"]
    polls = [mode for mode in phases[0]["modes"] if mode != WS]
    events, data_per_event, header_per_event = ws_event_figures(results)
    header_ratios = [ratio(per_change(p, "poll 1 s", "hdr"), per_change(p, WS, "hdr")) for p in phases]
    overhead_ratios = [ratio(overhead(p, mode), overhead(p, WS)) for p in phases for mode in polls]
    latency = {mode: [ratio(p["modes"][mode]["delay_ms"]["p50"], p["modes"][WS]["delay_ms"]["p50"])
                      for p in phases if p["modes"][mode]["delay_ms"]["p50"] and p["modes"][WS]["delay_ms"]["p50"]]
               for mode in polls}
    setup = results["ws_setup"]
    rows = ["| the paper (§4.1, after its reference [9]) | measured here |", "| --- | --- |",
            f"| {PAPER_HEADER_HTTP} bytes of HTTP headers per message | "
            + "; ".join(f"{mode}: {fmt(exchange_headers(results, mode))} bytes per request + response"
                        for mode in polls) + " |",
            f"| {PAPER_HEADER_WS} bytes of WebSocket framing per message | {fmt(header_per_event, 1)} bytes per event "
            f"frame on average (server → browser, unmasked: 2 bytes under 126 bytes of payload, 4 from 126), plus "
            f"WSE's JSON envelope around the {fmt(data_per_event)} data bytes (see the envelope column); "
            f"{events} events; the session's set-up: "
            f"{fmt(setup.get('payload', 0))} bytes (upgrade, hello, welcome), {fmt(setup.get('ip_bytes', 0))} with TCP/IP |",
            f"| {PAPER_OVERHEAD[0]}:1 to {PAPER_OVERHEAD[1]}:1 less overhead | protocol headers, polling every 1 s ÷ "
            f"WebSocket: {fmt(min(header_ratios))}:1 to {fmt(max(header_ratios))}:1 across the rates; all overhead on "
            f"the wire (headers, envelopes, TCP/IP), any polling page ÷ WebSocket: "
            f"{fmt(min(overhead_ratios), 1)}:1 to {fmt(max(overhead_ratios), 1)}:1 |",
            f"| {PAPER_LATENCY}:1 less latency | delay p50, polling ÷ WebSocket: "
            + "; ".join(f"{mode} {latency_ratio(min(values), 1)} to {latency_ratio(max(values), 1)}"
                        for mode, values in latency.items() if values)
            + " |"]
    return "\n".join(rows)


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    phases = results["phases"]
    rates = [phase["rate"] for phase in phases]
    modes = list(phases[0]["modes"])
    styles = {"poll 1 s": ("tab:red", "o"), "poll 5 s": ("tab:orange", "s"), "long-poll": ("tab:purple", "^"),
              WS: ("tab:blue", "D")}
    figure, (bytes_axis, ratio_axis, delay_axis) = plt.subplots(1, 3, figsize=(16, 5))
    for mode in modes:
        colour, marker = styles.get(mode, ("black", "x"))
        bytes_axis.plot(rates, [per_change(p, mode, "ip_bytes") for p in phases], marker=marker, color=colour,
                        label=f"{mode}, with TCP/IP")
        bytes_axis.plot(rates, [per_change(p, mode, "hdr") for p in phases], marker=marker, color=colour,
                        linestyle=":", label=f"{mode}, protocol headers only")
        delay_axis.plot(rates, [p["modes"][mode]["delay_ms"]["p50"] for p in phases], marker=marker, color=colour,
                        label=f"{mode}, p50")
        delay_axis.plot(rates, [p["modes"][mode]["delay_ms"]["p99"] for p in phases], marker=marker, color=colour,
                        linestyle="--", alpha=0.6, label=f"{mode}, p99")
        if mode != WS:
            ratio_axis.plot(rates, [ratio(overhead(p, mode), overhead(p, WS)) for p in phases], marker=marker,
                            color=colour, label=f"{mode}: overhead on the wire")
    bytes_axis.axhline(PAPER_HEADER_HTTP, color="grey", linestyle="-.", linewidth=1,
                       label=f"the paper: {PAPER_HEADER_HTTP} B of HTTP headers per message")
    bytes_axis.axhline(PAPER_HEADER_WS, color="grey", linestyle=(0, (1, 3)), linewidth=1,
                       label=f"the paper: {PAPER_HEADER_WS} B of WebSocket framing per message")
    ratio_axis.plot(rates, [ratio(per_change(p, "poll 1 s", "hdr"), per_change(p, WS, "hdr")) for p in phases],
                    marker="o", color="tab:red", linestyle=":", label="poll 1 s: protocol headers only")
    ratio_axis.axhspan(*PAPER_OVERHEAD, color="grey", alpha=0.2, label="the paper: 500:1 to 1000:1")
    ratio_axis.axhline(1, color="black", linewidth=0.5)
    for axis, title, ylabel in ((bytes_axis, "Bytes per change", "bytes per change (log)"),
                                (ratio_axis, "Overhead, polling ÷ WebSocket", "ratio per change (log)"),
                                (delay_axis, "Delay from the change to the page", "ms (log)")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("changes per second (at random times)")
        axis.set_ylabel(ylabel)
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7)
    figure.suptitle(f"HTTP polling vs WSE's WebSocket, headless Chromium on loopback ({results['date'][:10]}, "
                    f"{results['command']})", fontsize=10)
    figure.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", type=Path)
    parser.add_argument("--plot", type=Path)
    args = parser.parse_args()
    results = json.loads(args.results.read_text())
    print(markdown(results))
    if args.plot:
        plot(results, args.plot)


if __name__ == "__main__":
    main()
