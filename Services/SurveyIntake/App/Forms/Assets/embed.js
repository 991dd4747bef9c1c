/* CivicPulse A-11 form embed: one script tag, no dependencies. The one line, the form in one request:
   <script src="https://INTAKE/forms/cpf_.../embed.js?lang=es" crossorigin="anonymous" async></script>
   (that script carries the rendered form and loads this one to enhance it); still working, in three requests:
   <script src="https://INTAKE/forms/embed.js" data-form-key="cpf_..." data-lang="es" async></script>
   Inserts the form after the tag (or enhances the forms in the page), applies the A-11 v2 display logic,
   moves focus and announces errors and thanks, and keeps a response made offline on the device until the
   connection returns; its event id is made here, so a second send is a duplicate, never a second count. */
(function () {
  'use strict';
  var QUEUE = 'civicpulse-form-queue';
  var script = document.currentScript;
  var base = script && script.src ? new URL(script.src, location.href).origin : location.origin;

  function id() {
    if (window.crypto && crypto.randomUUID) return 'form-' + crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return 'form-' + Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }
  function now() { return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'); }
  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE)) || []; } catch (e) { return []; } }
  function save(q) { try { localStorage.setItem(QUEUE, JSON.stringify(q)); } catch (e) { /* storage full or blocked */ } }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }

  function post(url, payload) {
    return fetch(url, {
      method: 'POST', mode: 'cors', credentials: 'omit',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().catch(function () { return { status: 'refused', code: 'unavailable' }; })
        .then(function (a) { a.httpStatus = r.status; return a; });
    });
  }
  function retryable(a) { return a.httpStatus >= 500 || a.httpStatus === 429 || a.code === 'form_token_expired'; }

  var forms = [];
  var flushing = false;
  /* Sends what was kept offline, each once: an item leaves the queue on any answer but a retryable one. */
  function flush() {
    if (flushing || !navigator.onLine) return;
    var q = queue();
    if (!q.length) return;
    flushing = true;
    var item = q[0];
    post(item.url, item.payload).then(function (a) {
      var rest = queue().filter(function (x) { return x.payload.eventId !== item.payload.eventId; });
      if (a.code === 'form_token_expired' && a.token) {
        item.payload.token = a.token;
        rest.push(item);
        save(rest);
        flushing = false;
        setTimeout(flush, (item.minFill + 1) * 1000);
        return;
      }
      if (retryable(a)) { flushing = false; setTimeout(flush, 30000); return; }
      save(rest);
      forms.forEach(function (f) { if (f.pending === item.payload.eventId) f.answered(a); });
      flushing = false;
      flush();
    }, function () { flushing = false; setTimeout(flush, 30000); });
  }
  /* Sent when the connection returns, and tried again every 30 s while the server cannot be reached. */
  window.addEventListener('online', flush);

  function enhance(root) {
    if (root.getAttribute('data-cp-ready')) return;
    root.setAttribute('data-cp-ready', '1');
    var form = root.querySelector('form');
    if (!form) return;
    var d = root.dataset;
    var prefix = root.id;
    var live = root.querySelector('.cp-live');
    var summary = root.querySelector('.cp-errors');
    var path = new URL(form.getAttribute('action'), base);
    var url = base + path.pathname + path.search;
    var state = { pending: null };
    forms.push(state);
    form.setAttribute('action', url);
    form.elements.eventId.value = id();
    Array.prototype.forEach.call(root.querySelectorAll('.cp-nojs'), function (n) { n.style.display = 'none'; });

    function show() {
      var fav = form.querySelector('.cp-fav:checked'), unfav = form.querySelector('.cp-unfav:checked');
      [['.cp-ww', fav], ['.cp-dgw', unfav]].forEach(function (p) {
        var set = root.querySelector(p[0]);
        if (!set) return;
        set.style.display = p[1] ? 'block' : 'none';
        if (!p[1]) Array.prototype.forEach.call(set.querySelectorAll('input'), function (i) { i.checked = false; });
      });
    }
    form.addEventListener('change', show);
    show();

    function anchor(field) {
      if (!field) return 'title';
      if (field.indexOf('answers.trust') === 0) return 'trust';
      if (field === 'comment') return 'comment';
      if (field === 'answers') return 'q-first';
      return 'title';
    }
    function errors(list) {
      var h = summary.firstElementChild.outerHTML + '<ul>' + list.map(function (e) {
        return '<li><a href="#' + prefix + '-' + anchor(e.field) + '">' + esc(e.message) + '</a></li>';
      }).join('') + '</ul>';
      summary.innerHTML = h;
      summary.hidden = false;
      live.textContent = '';
      summary.focus();
      Array.prototype.forEach.call(summary.querySelectorAll('a'), function (a) {
        a.addEventListener('click', function (ev) {
          var t = document.getElementById(a.getAttribute('href').slice(1));
          if (!t) return;
          ev.preventDefault();
          var first = t.querySelector('input, textarea') || t;
          first.focus();
        });
      });
    }
    function thanks(message) {
      var level = (root.querySelector('h1, h2, h3') || { tagName: 'H2' }).tagName.toLowerCase();
      root.querySelectorAll('form, .cp-errors, .cp-lang, :scope > p').forEach(function (n) { n.remove(); });
      var title = root.querySelector('[id$="-title"]');
      var h = document.createElement(level);
      h.id = prefix + '-thanks';
      h.className = 'cp-thanks';
      h.tabIndex = -1;
      h.textContent = d.cpThanksTitle || message;
      var p = document.createElement('p');
      p.setAttribute('role', 'status');
      p.textContent = d.cpThanksBody || '';
      if (title) title.replaceWith(h, p); else root.prepend(h, p);
      h.focus();
    }
    state.answered = function (a) {
      state.pending = null;
      if (a.status === 'accepted' || a.status === 'duplicate') return thanks(a.message);
      if (a.token) form.elements.token.value = a.token;
      errors(a.errors && a.errors.length ? a.errors : [{ message: d.cpUnavailable }]);
    };
    function offline(payload) {
      var q = queue().filter(function (x) { return x.payload.eventId !== payload.eventId; });
      q.push({ url: url, payload: payload, minFill: Number(d.cpMinFill) || 3 });
      save(q);
      state.pending = payload.eventId;
      live.textContent = d.cpOffline;
    }

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var v1 = !form.querySelector('.cp-fav, .cp-unfav');
      var answered = v1 ? form.querySelector('.cp-q input[type=radio]:checked:not([name=recommend])') : form.querySelector('[name=trust]:checked');
      if (!answered) return errors([{ field: v1 ? 'answers' : 'answers.trust', message: d.cpTrustRequired }]);
      var payload = { occurredAt: now() };
      new FormData(form).forEach(function (value, name) {
        if (name === 'wentWell' || name === 'didNotGoWell') (payload[name] = payload[name] || []).push(value);
        else payload[name] = value;
      });
      summary.hidden = true;
      if (!navigator.onLine) return offline(payload);
      live.textContent = d.cpSending;
      state.pending = payload.eventId;
      post(url, payload).then(function (a) {
        if (a.httpStatus >= 500) return offline(payload);
        state.answered(a);
      }, function () { offline(payload); });
    });

    var swap = root.querySelector('[data-cp-switch]');
    if (swap && root.getAttribute('data-cp-embedded')) {
      swap.addEventListener('click', function (ev) {
        ev.preventDefault();
        load(root.parentNode, root.getAttribute('data-cp-key'), swap.getAttribute('data-cp-switch'), root);
      });
    }
  }

  function load(parent, key, lang, old) {
    var level = (old && old.getAttribute('data-cp-h')) || (script && script.getAttribute('data-heading-level')) || '2';
    return fetch(base + '/forms/' + encodeURIComponent(key) + '/fragment?h=' + encodeURIComponent(level) + '&lang=' + encodeURIComponent(lang), { mode: 'cors', credentials: 'omit' })
      .then(function (r) { if (!r.ok) throw new Error('form ' + r.status); return r.text(); })
      .then(function (html) {
        var box = document.createElement('div');
        box.innerHTML = html;
        var root = box.querySelector('.cp-form');
        var style = box.querySelector('style');
        if (!root) return;
        if (style) root.prepend(style);
        root.setAttribute('data-cp-embedded', '1');
        if (old) old.replaceWith(root); else parent.insertBefore(root, script.nextSibling);
        enhance(root);
        if (old) { var t = root.querySelector('[id$="-title"]'); if (t) { t.tabIndex = -1; t.focus(); } }
      });
  }

  /* For the per-key script (/forms/{key}/embed.js), which inserts its form and then calls this. */
  window.CivicPulseForm = { enhance: enhance };
  var key = script && script.getAttribute('data-form-key');
  if (key) {
    var lang = script.getAttribute('data-lang') || document.documentElement.lang || navigator.language || 'en';
    load(script.parentNode, key, lang, null).catch(function () {
      var a = document.createElement('a');
      a.href = base + '/forms/' + encodeURIComponent(key);
      a.textContent = 'Survey / Encuesta';
      script.parentNode.insertBefore(a, script.nextSibling);
    });
  } else {
    Array.prototype.forEach.call(document.querySelectorAll('.cp-form'), enhance);
  }
  flush();
})();
