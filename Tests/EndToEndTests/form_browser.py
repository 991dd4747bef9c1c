"""The hosted A-11 form and its embed in headless Chromium (Debian's chromium and chromium-driver, selenium,
axe-core from axe-selenium-python), against the real survey-intake that FormBrowserEndToEndTests started.

Serves an agency page and a page of another origin, mints a form key allowed on the agency's origin only, then:
a keyboard-only visitor answers the embedded form (the one line: the form's own script, /forms/{key}/embed.js) in
Spanish (and in English), axe-core checks the form empty, with an error and thanked in both languages, screenshots
are taken at desktop and phone widths, the earlier line (embed.js with data-form-key) still works, the other origin
and a script tag without crossorigin are refused, a token-less or too-fast submission is refused, the page without
JavaScript submits, and a response made offline is kept and sent once back online (a resend is answered
duplicate). Every wait is a WebDriverWait on a condition. Writes results.json to the output folder; the Swift test
checks PostgreSQL and reporting.

Environment: CIVIC_FORM_INTAKE_URL, CIVIC_FORM_ADMIN_TOKEN, CIVIC_FORM_OUT, CIVIC_FORM_MIN_FILL_S.
"""
import gzip
import http.server
import statistics
import json
import os
import sys
import threading
import time
import traceback
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

INTAKE = os.environ["CIVIC_FORM_INTAKE_URL"].rstrip("/")
ADMIN = os.environ["CIVIC_FORM_ADMIN_TOKEN"]
OUT = os.environ["CIVIC_FORM_OUT"]
MIN_FILL = float(os.environ.get("CIVIC_FORM_MIN_FILL_S", "2"))
PATIENCE = 30
results = {"checks": [], "violations": {}, "screenshots": [], "events": {}}


def check(name, ok, detail=""):
    results["checks"].append({"name": name, "ok": bool(ok), "detail": str(detail)[-3000:]})
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)[-1500:]), flush=True)


def serve(pages):
    """A page server on 127.0.0.1 at a port of its own: another origin than survey-intake's."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path.split("?")[0])
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            data = body().encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


# Chrome DevTools' "Slow 3G" preset (2000 ms latency, 50 000 B/s each way) and WebPageTest's "3G Slow" (400 ms).
PROFILES = {"devtools-slow-3g": (2000, 50_000), "webpagetest-3g-slow": (400, 50_000)}
TIMED = """<script>new MutationObserver(function (m, o) {
  if (document.querySelector('.cp-form form')) { o.disconnect(); requestAnimationFrame(function () { window.cpRendered = performance.now(); }); }
}).observe(document.documentElement, {childList: true, subtree: true});</script>"""


def fetched(path, headers):
    """The bytes on the wire of GET path with headers, and whether they came gzipped."""
    request = urllib.request.Request(INTAKE + path, headers=headers)
    with urllib.request.urlopen(request, timeout=PATIENCE) as answer:
        return answer.read(), answer.headers.get("Content-Encoding") == "gzip"


def measure(key, agency_origin):
    """The scripts' sizes and the first render of the hosted page and of the embed (the one-request line and the
    earlier three-request one) under each profile, cache off: the median of three loads each, in milliseconds from
    navigation start."""
    script, _ = fetched("/forms/embed.js", {"Accept-Encoding": "identity"})
    script_wire, script_gzipped = fetched("/forms/embed.js", {"Accept-Encoding": "gzip"})
    browserish = {"Origin": agency_origin, "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "cross-site"}
    keyed, _ = fetched("/forms/%s/embed.js?lang=es" % key["key"], dict(browserish, **{"Accept-Encoding": "identity"}))
    keyed_wire, keyed_gzipped = fetched("/forms/%s/embed.js?lang=es" % key["key"], dict(browserish, **{"Accept-Encoding": "gzip"}))
    check("embed.js is served gzipped", script_gzipped and gzip.decompress(script_wire) == script)
    check("the form's own script is served gzipped", keyed_gzipped and b"cp-form" in gzip.decompress(keyed_wire))
    figures = {
        "embedBytes": len(script),
        "embedGzipBytes": len(gzip.compress(script, 9)),
        "embedServedGzipBytes": len(script_wire),
        "keyedScriptBytes": len(keyed),
        "keyedScriptServedGzipBytes": len(keyed_wire),
    }
    driver = browser(network_log=True)

    def script_encodings():
        """The Content-Encoding of each response to the form's own script since the last call, as Chromium got it."""
        found = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.responseReceived" and "/embed.js?lang=" in message["params"]["response"]["url"]:
                headers = {k.lower(): v for k, v in message["params"]["response"]["headers"].items()}
                found.append(headers.get("content-encoding", "identity"))
        return found

    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        for name, (latency, throughput) in PROFILES.items():
            driver.execute_cdp_cmd(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": latency, "downloadThroughput": throughput, "uploadThroughput": throughput},
            )
            hosted, embedded, uncompressed, legacy = [], [], [], []
            for _ in range(3):
                driver.get(INTAKE + "/forms/" + key["key"] + "?lang=es")
                hosted.append(wait(driver, lambda d: d.execute_script(
                    "var p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : null"), "the first paint"))
                script_encodings()
                driver.get(agency_origin + "/timed")
                embedded.append(wait(driver, lambda d: d.execute_script("return window.cpRendered || null"), "the embedded form"))
                check("the form's own script reached Chromium gzipped (%s)" % name, script_encodings() == ["gzip"])
                # The same without compression: what gzip is worth on this link.
                driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": "identity"}})
                driver.get(agency_origin + "/timed")
                uncompressed.append(wait(driver, lambda d: d.execute_script("return window.cpRendered || null"), "the embedded form, uncompressed"))
                driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {}})
                check("the form's own script reached Chromium uncompressed when asked (%s)" % name, script_encodings() == ["identity"])
                driver.get(agency_origin + "/timed-legacy")
                legacy.append(wait(driver, lambda d: d.execute_script("return window.cpRendered || null"), "the embedded form (earlier line)"))
            figures[name] = {
                "hostedFirstPaintMs": round(statistics.median(hosted)),
                "embedRenderedMs": round(statistics.median(embedded)),
                "embedUncompressedRenderedMs": round(statistics.median(uncompressed)),
                "legacyEmbedRenderedMs": round(statistics.median(legacy)),
            }
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    finally:
        driver.quit()
    for line in [
        "embed.js: %d bytes, %d bytes gzip -9, %d bytes as served gzipped" % (figures["embedBytes"], figures["embedGzipBytes"], figures["embedServedGzipBytes"]),
        "form's own script (es): %d bytes, %d bytes as served gzipped" % (figures["keyedScriptBytes"], figures["keyedScriptServedGzipBytes"]),
    ] + [
        "%s: hosted page first contentful paint %d ms, embedded form rendered %d ms (one request), %d ms (one request, not gzipped), %d ms (earlier line, three requests)"
        % (n, figures[n]["hostedFirstPaintMs"], figures[n]["embedRenderedMs"], figures[n]["embedUncompressedRenderedMs"], figures[n]["legacyEmbedRenderedMs"])
        for n in PROFILES
    ]:
        print("FIGURE " + line, flush=True)
    return figures


def host_page(key, lang, timed=False, legacy=False, crossorigin=True):
    """An agency page with the one line (the form's own script), or the earlier line (embed.js, data-form-key)."""
    title = "Agencia de ejemplo" if lang == "es" else "Example agency"
    if legacy:
        line = '<script src="%s/forms/embed.js" data-form-key="%s" data-lang="%s" async></script>' % (INTAKE, key["key"], lang)
    else:
        line = '<script src="%s/forms/%s/embed.js?lang=%s"%s async onerror="window.cpRefused = true"></script>' % (
            INTAKE, key["key"], lang, ' crossorigin="anonymous"' if crossorigin else "")
    return lambda: (
        '<!doctype html><html lang="%s"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>%s</title></head>'
        "<body><main><h1>%s</h1>%s%s"
        "</main></body></html>" % (lang, title, title, TIMED if timed else "", line)
    )


def mint(origins):
    request = urllib.request.Request(
        INTAKE + "/v1/admin/agencies/IRS/instruments/free-file/web/form-keys",
        data=json.dumps({"allowedOrigins": origins}).encode(),
        headers={"Authorization": "Bearer " + ADMIN, "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=PATIENCE) as answer:
        return json.load(answer)


def browser(javascript=True, network_log=False):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]:
        options.add_argument(argument)
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait(driver, condition, what):
    try:
        return WebDriverWait(driver, PATIENCE, poll_frequency=0.1).until(condition)
    except Exception as error:
        raise AssertionError("waited for %s: %s" % (what, error))


def active(driver):
    return driver.execute_script(
        "var e = document.activeElement; return e ? [e.tagName, e.id || '', e.getAttribute('name') || '', e.getAttribute('type') || ''] : null"
    )


def tab_to(driver, predicate, what, limit=80):
    """Presses Tab until the focused element matches; the keyboard is the only input."""
    for _ in range(limit):
        if predicate(active(driver)):
            return
        webdriver.ActionChains(driver).send_keys(Keys.TAB).perform()
    raise AssertionError("Tab never reached " + what)


def axe(driver, state, lang):
    checker = Axe(driver)
    checker.inject()
    # axe-selenium-python 2.1.6 bundles axe-core 3.1.1, whose WCAG 2.1 rules are tagged wcag21aa only.
    report = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run('.cp-form', {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'section508', 'best-practice']}})"
        ".then(function (r) { done(r); }, function (e) { done({error: String(e)}); });"
    )
    if "error" in report:
        raise AssertionError("axe-core: " + report["error"])
    violations = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]} for v in report["violations"]]
    results["violations"]["%s-%s" % (state, lang)] = violations
    check("axe: no violation on the form, %s, %s" % (state, lang), not violations, violations)


def screenshots(driver, state, lang):
    for device, (width, height) in {"desktop": (1280, 900), "phone": (390, 844)}.items():
        driver.set_window_size(width, height)
        # axe scrolls while it checks contrast: show the state's own part (the error summary, the thanks) or the top.
        driver.execute_script(
            "var e = document.querySelector('.cp-errors:not([hidden]), .cp-thanks');"
            "if (e) { e.scrollIntoView({block: 'start'}); } else { window.scrollTo(0, 0); }"
        )
        path = os.path.join(OUT, "form-%s-%s-%s.png" % (lang, state, device))
        driver.save_screenshot(path)
        results["screenshots"].append(path)
    driver.set_window_size(1280, 900)


def reflow(driver, lang):
    """WCAG 1.4.10 and 200 % zoom: at 320 CSS px wide (1280 px at 400 %) the form needs no horizontal scrolling."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": False})
    try:
        widths = driver.execute_script(
            "var f = document.querySelector('.cp-form'); return [document.documentElement.scrollWidth, window.innerWidth, f.scrollWidth, f.clientWidth]"
        )
        check("reflow at 320 CSS px without horizontal scrolling (%s)" % lang, widths[0] <= widths[1] and widths[2] <= widths[3], widths)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def keyboard_answer(driver, url, lang, comment):
    """Loads the embedding page and answers with the keyboard only; returns the event id."""
    driver.get(url)
    loaded = time.monotonic()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".cp-form[data-cp-ready] form"), "the embedded form")
    check("the form is in the page's language (%s)" % lang, driver.find_element(By.CSS_SELECTOR, ".cp-form").get_attribute("lang") == lang)
    axe(driver, "empty", lang)
    screenshots(driver, "empty", lang)
    reflow(driver, lang)
    # Submitting with nothing answered: the error summary takes the focus and says what is missing.
    tab_to(driver, lambda a: a and a[0] == "BUTTON", "the submit button")
    webdriver.ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait(driver, lambda d: (active(d) or ["", ""])[1].endswith("-errors"), "the focus on the error summary")
    summary = driver.find_element(By.CSS_SELECTOR, ".cp-errors").text
    expected = "Responda la primera pregunta." if lang == "es" else "Answer the first question."
    check("the error is announced in %s" % lang, expected in summary, summary)
    axe(driver, "error", lang)
    screenshots(driver, "error", lang)
    # The error's link moves the focus to the question; Space picks thumbs up.
    webdriver.ActionChains(driver).send_keys(Keys.TAB).perform()
    webdriver.ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait(driver, lambda d: (active(d) or ["", "", ""])[2] == "trust", "the focus on the trust question")
    webdriver.ActionChains(driver).send_keys(Keys.SPACE).perform()
    went_well = driver.find_element(By.CSS_SELECTOR, ".cp-ww")
    didnt = driver.find_element(By.CSS_SELECTOR, ".cp-dgw")
    check("display logic: went well shown after thumbs up, didn't go well hidden (%s)" % lang, went_well.is_displayed() and not didnt.is_displayed())
    tab_to(driver, lambda a: a and a[2] == "wentWell", "the first went-well option")
    webdriver.ActionChains(driver).send_keys(Keys.SPACE).perform()
    tab_to(driver, lambda a: a and a[0] == "TEXTAREA", "the comment")
    webdriver.ActionChains(driver).send_keys(comment).perform()
    tab_to(driver, lambda a: a and a[0] == "BUTTON", "the submit button")
    event_id = driver.execute_script("return document.querySelector('.cp-form form').elements.eventId.value")
    # A person takes at least the minimum fill time to read and answer.
    wait(driver, lambda d: time.monotonic() - loaded > MIN_FILL + 0.5, "the minimum fill time")
    webdriver.ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait(driver, lambda d: (active(d) or ["", ""])[1].endswith("-thanks"), "the focus on the thanks")
    thanks = driver.find_element(By.CSS_SELECTOR, ".cp-thanks").text
    check("thanks in %s" % lang, thanks == ("Gracias por sus comentarios" if lang == "es" else "Thank you for your feedback"), thanks)
    axe(driver, "thanks", lang)
    screenshots(driver, "thanks", lang)
    return event_id


FETCH = """
var done = arguments[arguments.length - 1];
fetch(arguments[0], arguments[1] ? {method: 'POST', headers: {'Content-Type': 'application/json'}, body: arguments[1]} : {})
  .then(function (r) { return r.text().then(function (t) { done({status: r.status, body: t}); }); },
        function (e) { done({status: 0, body: String(e)}); });
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    pages = {}
    agency, agency_origin = serve(pages)
    other, other_origin = serve(pages)
    key = mint([agency_origin])
    results["formKey"] = key["keyId"]
    pages["/es"] = host_page(key, "es")
    pages["/en"] = host_page(key, "en")
    pages["/timed"] = host_page(key, "es", timed=True)
    pages["/legacy-es"] = host_page(key, "es", legacy=True)
    pages["/timed-legacy"] = host_page(key, "es", timed=True, legacy=True)
    pages["/no-crossorigin"] = host_page(key, "es", crossorigin=False)
    driver = browser()
    driver.set_script_timeout(PATIENCE)
    try:
        results["events"]["keyboard-es"] = keyboard_answer(driver, agency_origin + "/es", "es", "Fue muy fácil, gracias")
        results["events"]["keyboard-en"] = keyboard_answer(driver, agency_origin + "/en", "en", "It was easy, thank you")

        # The language switch, by keyboard: the embedded form is replaced by the other language's, its title focused.
        driver.get(agency_origin + "/es")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".cp-form[data-cp-ready] form"), "the embedded form")
        tab_to(driver, lambda a: a and a[0] == "A", "the language switch")
        webdriver.ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".cp-form[lang=en][data-cp-ready]"), "the form in English")
        check("the switch shows the form in English with its title focused", (active(driver) or ["", ""])[1].endswith("-title"), active(driver))

        # The earlier line (embed.js with data-form-key, the fragment fetched): still the form, enhanced, switching.
        driver.get(agency_origin + "/legacy-es")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".cp-form[data-cp-ready] form"), "the embedded form (earlier line)")
        check("the earlier line still embeds the form in Spanish", driver.find_element(By.CSS_SELECTOR, ".cp-form").get_attribute("lang") == "es")
        tab_to(driver, lambda a: a and a[0] == "A", "the language switch (earlier line)")
        webdriver.ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".cp-form[lang=en][data-cp-ready]"), "the form in English (earlier line)")

        # The allowed origin, but the script tag without crossorigin (so no Origin to check): refused.
        driver.get(agency_origin + "/no-crossorigin")
        wait(driver, lambda d: d.execute_script("return window.cpRefused === true"), "the script refused without crossorigin")
        check("a script tag without crossorigin gets no form", not driver.find_elements(By.CSS_SELECTOR, ".cp-form"))
        # Another origin: the form's script is refused (CORS: no form at all), and so is a submission from there;
        # with the earlier line a link to the hosted page shows instead.
        driver.get(other_origin + "/legacy-es")
        wait(driver, lambda d: d.find_elements(By.LINK_TEXT, "Survey / Encuesta"), "the fallback link on a page not allowed")
        check("a page of an origin not allowed gets no form (earlier line)", not driver.find_elements(By.CSS_SELECTOR, ".cp-form"))
        driver.get(other_origin + "/es")
        wait(driver, lambda d: d.execute_script("return window.cpRefused === true"), "the script refused on a page not allowed")
        check("a page of an origin not allowed gets no form", not driver.find_elements(By.CSS_SELECTOR, ".cp-form"))
        refused = driver.execute_async_script(FETCH, INTAKE + "/forms/" + key["key"], json.dumps({"trust": "1"}))
        check("a submission from an origin not allowed is refused", refused["status"] == 0, refused)

        # From the allowed origin: without a token, and faster than a person, refused.
        driver.get(agency_origin + "/en")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".cp-form[data-cp-ready] form"), "the embedded form")
        no_token = driver.execute_async_script(FETCH, INTAKE + "/forms/" + key["key"], json.dumps({"trust": "1", "eventId": "form-browser-notoken"}))
        check("a submission without a form token is refused", no_token["status"] == 403 and "form_token_invalid" in no_token["body"], no_token)
        token = driver.execute_script("return document.querySelector('.cp-form form').elements.token.value")
        fast = driver.execute_async_script(FETCH, INTAKE + "/forms/" + key["key"], json.dumps({"trust": "1", "token": token, "eventId": "form-browser-fast"}))
        check("a submission faster than a person is refused", fast["status"] == 422 and "form_too_fast" in fast["body"], fast)

        # Offline: kept on the device, sent once when back online; a resend is a duplicate.
        loaded = time.monotonic()
        driver.find_element(By.CSS_SELECTOR, ".cp-unfav").click()
        driver.find_element(By.CSS_SELECTOR, ".cp-dgw input").click()
        offline_id = driver.execute_script("return document.querySelector('.cp-form form').elements.eventId.value")
        driver.set_network_conditions(offline=True, latency=0, download_throughput=-1, upload_throughput=-1)
        wait(driver, lambda d: d.execute_script("return navigator.onLine") is False, "the browser offline")
        wait(driver, lambda d: time.monotonic() - loaded > MIN_FILL + 0.5, "the minimum fill time")
        driver.find_element(By.CSS_SELECTOR, ".cp-submit").click()
        wait(driver, lambda d: len(json.loads(d.execute_script("return localStorage.getItem('civicpulse-form-queue') || '[]'"))) == 1, "the response kept offline")
        live = driver.find_element(By.CSS_SELECTOR, ".cp-live").text
        check("offline is announced", "offline" in live, live)
        kept = json.loads(driver.execute_script("return localStorage.getItem('civicpulse-form-queue')"))[0]
        check("the kept response has the device's event id", kept["payload"]["eventId"] == offline_id, kept)
        driver.set_network_conditions(offline=False, latency=0, download_throughput=100 << 20, upload_throughput=100 << 20)
        wait(driver, lambda d: d.execute_script("return navigator.onLine") is True, "the browser online")
        wait(driver, lambda d: json.loads(d.execute_script("return localStorage.getItem('civicpulse-form-queue') || '[]'")) == [], "the queue sent")
        wait(driver, lambda d: (active(d) or ["", ""])[1].endswith("-thanks"), "the thanks after sending")
        results["events"]["offline"] = offline_id
        resend = driver.execute_async_script(FETCH, INTAKE + "/forms/" + key["key"], json.dumps(kept["payload"]))
        check("sending the kept response again is no second response", resend["status"] == 200 and '"status":"refused"' not in resend["body"], resend)
        results["offlinePayload"] = kept["payload"]

        # The page without JavaScript: a plain form that submits.
        plain = browser(javascript=False)
        try:
            plain.get(INTAKE + "/forms/" + key["key"] + "?lang=es")
            loaded = time.monotonic()
            check("without JavaScript the page is Spanish", plain.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es")
            plain.find_element(By.CSS_SELECTOR, "input[name=trust][value='0']").click()
            plain_id = plain.find_element(By.CSS_SELECTOR, "input[name=eventId]").get_attribute("value")
            wait(plain, lambda d: time.monotonic() - loaded > MIN_FILL + 0.5, "the minimum fill time")
            plain.find_element(By.CSS_SELECTOR, ".cp-submit").click()
            wait(plain, lambda d: d.find_elements(By.CSS_SELECTOR, ".cp-thanks"), "the thanks page")
            check("without JavaScript the thanks has the focus", (active(plain) or ["", ""])[1].endswith("-thanks"), active(plain))
            results["events"]["nojs-es"] = plain_id
        finally:
            plain.quit()
    except Exception:
        check("the browser run", False, traceback.format_exc())
        driver.save_screenshot(os.path.join(OUT, "failure.png"))
    finally:
        driver.quit()
    try:
        figures = measure(key, agency_origin)
        results["figures"] = figures
        check("embed.js is at most 30 KB compressed", figures["embedGzipBytes"] <= 30 * 1024, figures)
    except Exception:
        check("the render measurement", False, traceback.format_exc())
    finally:
        agency.shutdown()
        other.shutdown()
    with open(os.path.join(OUT, "results.json"), "w") as handle:
        json.dump(results, handle, indent=2)
    failed = [c for c in results["checks"] if not c["ok"]]
    print("%d passed, %d failed" % (len(results["checks"]) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
