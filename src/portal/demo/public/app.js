// Demo portal page logic: plain script, no framework. Uses window.KysoBridge (the SDK) and the
// portal's JSON API; every field shown comes from the server's verification, never the bridge.
(function () {
  'use strict';
  var KB = window.KysoBridge;
  var cfg = window.KYSO_DEMO_CONFIG || {};
  KB.configure({ url: cfg.daemonUrl });

  var AUDIENCES = { 'cong-dan': 'Công dân', 'doanh-nghiep': 'Doanh nghiệp', 'co-quan-nha-nuoc': 'Cơ quan nhà nước' };
  var PATHS = { home: '/', 'register-choose': '/dang-ky', 'register-usb': '/dang-ky/usb-ky-so', login: '/dang-nhap', submit: '/nop-ho-so' };
  var audience = 'cong-dan';
  var retry = null;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function show(name, push) {
    $all('[data-screen]').forEach(function (s) { s.hidden = s.getAttribute('data-screen') !== name; });
    document.body.setAttribute('data-current-screen', name);
    if (push && PATHS[name] && location.pathname !== PATHS[name]) history.pushState({ screen: name }, '', PATHS[name]);
    if (name === 'register-usb') checkPlugin();
    window.scrollTo(0, 0);
  }

  function setField(screen, field, value) {
    $all('[data-field="' + field + '"]', $('#screen-' + screen)).forEach(function (el) { el.textContent = value == null ? '' : String(value); });
  }

  function dateVi(iso) {
    var d = new Date(iso);
    return d.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
  }

  function api(path, body) {
    return fetch(path, {
      method: body === undefined ? 'GET' : 'POST', credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (res.ok) return json;
        var e = (json && json.error) || {};
        var err = new Error(e.message || 'Lỗi ' + res.status);
        err.code = e.code || 'HTTP_' + res.status;
        err.source = e.source;
        err.portal = true;
        throw err;
      });
    });
  }

  /** Challenge from the server → proof from the bridge (certificate, consent, PIN). */
  function proof() {
    return KB.status().then(function (s) {
      if (!s.running) throw s.error;
      return api('/api/challenge', {});
    }).then(function (ch) {
      show('working');
      return KB.authenticate(ch.nonce);
    });
  }

  var CERT_CODES = ['CERTIFICATE_INVALID', 'EXPIRED', 'NOT_YET_VALID', 'UNTRUSTED', 'REVOKED', 'KEY_USAGE', 'REVOCATION_UNKNOWN'];
  var SCREEN_OF = {
    PLUGIN_NOT_RUNNING: 'err-plugin', TLS_NOT_TRUSTED: 'err-tls', TOKEN_NOT_PRESENT: 'err-token', TOKEN_REMOVED: 'err-token', DRIVER_ERROR: 'err-token',
    CERTIFICATE_NOT_FOUND: 'err-token', PIN_INCORRECT: 'err-pin', PIN_LOCKED: 'err-pin-locked', USER_CANCELLED: 'err-cancelled',
    ORIGIN_NOT_ALLOWED: 'err-origin', ACCOUNT_EXISTS: 'err-account-exists', NO_ACCOUNT: 'err-no-account', NOT_LOGGED_IN: 'login',
  };

  function showError(err) {
    var code = (err && err.code) || 'INTERNAL';
    var screen = SCREEN_OF[code] || 'err-generic';
    if (CERT_CODES.indexOf(code) >= 0 || (code === 'BAD_SIGNATURE' && err.source === 'certificate')) screen = 'err-cert';
    var message = (err && err.message) || '';
    if (code === 'CERTIFICATE_INVALID' && err.status && err.status.message) message = err.status.message;
    setField(screen, 'message', message);
    setField(screen, 'code', code);
    if (screen === 'err-pin') {
      var n = err.retriesLeft;
      setField(screen, 'retries', typeof n === 'number' ? 'Còn ' + n + ' lần thử trước khi USB ký số bị khoá. / ' + n + ' tries left.'
        : 'Lưu ý: nhập sai nhiều lần sẽ khoá USB ký số. / Too many wrong PINs lock the token.');
    }
    if (screen === 'err-origin') setField(screen, 'origin', location.origin);
    var el = $('#screen-' + screen);
    el.setAttribute('data-error-code', code);
    show(screen);
  }

  function register() {
    retry = register;
    proof().then(function (token) {
      return api('/api/register/verify', { token: token });
    }).then(function (r) {
      if (r.accountExists) {
        var e = new Error(r.identity.name + ' đã có tài khoản trên Cổng. Vui lòng chọn "Đăng nhập bằng USB ký số".');
        e.code = 'ACCOUNT_EXISTS';
        throw e;
      }
      fillForm(r.identity);
      show('register-form');
    }).catch(showError);
  }

  function fillForm(id) {
    $('#label-name').textContent = id.nameLabel;
    $('#f-name').value = id.name;
    var idLabels = { MST: 'Mã số thuế (MST)', CCCD: 'Số CCCD', CMND: 'Số CMND', HC: 'Số hộ chiếu' };
    $('#label-id').textContent = idLabels[id.idType] || 'Mã định danh';
    $('#f-id').value = id.idNumber || '';
    $('#f-valid-from').value = dateVi(id.validFrom);
    $('#f-valid-to').value = dateVi(id.validTo);
    $('#f-ca').value = id.caName;
    $('#f-email').value = id.email || '';
    $('#email-error').hidden = true;
  }

  function submitRegistration(ev) {
    ev.preventDefault();
    var email = $('#f-email').value.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      $('#email-error').textContent = 'Vui lòng nhập địa chỉ email hợp lệ. / Please enter a valid e-mail.';
      $('#email-error').hidden = false;
      return;
    }
    retry = null;
    api('/api/register', { email: email }).then(function (r) {
      setField('register-done', 'name', r.account.name);
      show('register-done');
    }).catch(function (err) {
      if (err.code === 'INVALID_EMAIL') {
        $('#email-error').textContent = err.message;
        $('#email-error').hidden = false;
        return;
      }
      showError(err);
    });
  }

  function login() {
    retry = login;
    proof().then(function (token) {
      return api('/api/login', { token: token });
    }).then(function (r) {
      showAccount(r.account);
    }).catch(showError);
  }

  var account = null;

  function sha256Hex(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return crypto.subtle.digest('SHA-256', bytes).then(function (d) {
      return Array.prototype.map.call(new Uint8Array(d), function (x) { return ('0' + x.toString(16)).slice(-2); }).join('').toUpperCase();
    });
  }

  /** The certificate the user logged in with, when it is on a plugged token (else the bridge's chooser asks). */
  function loginCertificateId() {
    return KB.listCertificates().then(function (certs) {
      return Promise.all(certs.map(function (c) { return sha256Hex(c.certificate); })).then(function (prints) {
        var i = prints.indexOf(account && account.fingerprint);
        return i >= 0 ? certs[i].id : undefined;
      });
    }).catch(function () { return undefined; });
  }

  function readFile(input) {
    var f = input.files && input.files[0];
    if (!f) return null;
    return { name: f.name.replace(/[\\/]/g, '_'), blob: f };
  }

  function fetchBytes(path) {
    return fetch(path, { credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw Object.assign(new Error('Lỗi ' + res.status), { code: 'HTTP_' + res.status });
      return res.arrayBuffer();
    });
  }

  function verifySigned(kind, bytes) {
    return fetch('/api/submit/verify/' + kind, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes,
    }).then(function (res) {
      return res.json().then(function (json) {
        if (res.ok) return json;
        var e = (json && json.error) || {};
        throw Object.assign(new Error(e.message || 'Lỗi ' + res.status), { code: e.code || 'HTTP_' + res.status, portal: true });
      });
    });
  }

  function progressText(label) {
    return function (p) {
      var pct = p.total ? Math.round(100 * p.loaded / p.total) : 0;
      var what = { upload: 'Đang gửi tệp tới công cụ ký số', sign: 'Chờ bạn xác nhận và nhập mã PIN', download: 'Đang nhận tệp đã ký', done: 'Đã ký' }[p.phase];
      $('#submit-progress').textContent = label + ': ' + what + (p.phase === 'upload' || p.phase === 'download' ? ' (' + pct + '%)' : '') + '…';
    };
  }

  function showVerdict(kind, r) {
    var s = r.signatures[0] || {};
    setField('submit-done', kind + '-verdict', r.valid ? '✔ Hợp lệ / Valid' : '✘ Không hợp lệ / Not valid');
    setField('submit-done', kind + '-signer', s.signer ? s.signer.subject : '—');
    setField('submit-done', kind + '-level', s.level ? 'PAdES B-' + s.level : '—');
    setField('submit-done', kind + '-certificate', s.certificate ? s.certificate.code + ' — ' + s.certificate.message : '—');
    $('#screen-submit-done').setAttribute('data-' + kind + '-valid', String(r.valid));
  }

  /** Dossier PDF (visible signature) then e-invoice XML, each signed through the SDK and verified by the portal. */
  function submitDossier(ev) {
    ev.preventDefault();
    retry = function () { show('submit'); };
    var own = readFile($('#dossier-file'));
    var level = $('#dossier-level').value;
    var certificateId;
    var pdfName = own ? own.name : 'don-de-nghi.pdf';
    loginCertificateId().then(function (id) {
      certificateId = id;
      return own ? own.blob : fetchBytes('/api/submit/sample/pdf');
    }).then(function (pdf) {
      return KB.signDocument(pdf, {
        format: 'pades', level: level, name: pdfName, certificateId: certificateId,
        options: { pdf: { visible: { page: 1, rect: [330, 40, 565, 120] }, reason: 'Nộp hồ sơ trực tuyến', location: 'Cổng Dịch vụ công' } },
      }, { onProgress: progressText('Đơn đề nghị') });
    }).then(function (signed) {
      return verifySigned('pdf', signed.content);
    }).then(function (r) {
      showVerdict('pdf', r);
      return fetchBytes('/api/submit/sample/xml');
    }).then(function (xml) {
      return KB.signDocument(xml, { format: 'xmldsig', profile: 'vn-einvoice', name: 'hoa-don-dien-tu.xml', certificateId: certificateId },
        { onProgress: progressText('Hóa đơn điện tử') });
    }).then(function (signed) {
      return verifySigned('xml', signed.content);
    }).then(function (r) {
      showVerdict('xml', r);
      $('#submit-progress').textContent = '';
      show('submit-done');
    }).catch(function (err) {
      $('#submit-progress').textContent = '';
      showError(err);
    });
  }

  function showAccount(a) {
    account = a;
    setField('logged-in', 'name', a.name);
    setField('logged-in', 'idNumber', a.idNumber || '');
    setField('logged-in', 'email', a.email);
    setField('logged-in', 'caName', a.caName);
    setField('logged-in', 'validTo', dateVi(a.validTo));
    $('#whoami').textContent = a.name;
    $('#whoami').hidden = false;
    $('#nav-logout').hidden = false;
    $('#nav-login').hidden = true;
    $('#nav-register').hidden = true;
    show('logged-in');
  }

  function logout(ev) {
    if (ev) ev.preventDefault();
    api('/api/logout', {}).then(function () {
      $('#whoami').hidden = true;
      $('#nav-logout').hidden = true;
      $('#nav-login').hidden = false;
      $('#nav-register').hidden = false;
      show('home', true);
    });
  }

  function checkPlugin() {
    var el = $('#plugin-status');
    el.textContent = 'Đang kiểm tra công cụ ký số…';
    el.className = 'plugin-status';
    KB.status().then(function (s) {
      if (s.running) {
        el.textContent = 'Đã kết nối công cụ ký số kyso-bridge ' + s.info.version + '.';
        el.className = 'plugin-status ok';
      } else {
        el.textContent = 'Chưa kết nối được công cụ ký số kyso-bridge. Bấm Đăng ký để xem hướng dẫn cài đặt.';
        el.className = 'plugin-status warn';
      }
    });
  }

  function screenForPath(p) {
    if (p.indexOf('/dang-ky/usb-ky-so') === 0) return 'register-usb';
    if (p.indexOf('/dang-ky') === 0) return 'register-choose';
    if (p.indexOf('/dang-nhap') === 0) return 'login';
    if (p.indexOf('/nop-ho-so') === 0) return account ? 'submit' : 'login';
    return 'home';
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target.closest('[data-go],[data-action],[data-audience]');
    if (!t) return;
    if (t.hasAttribute('data-go')) { ev.preventDefault(); show(t.getAttribute('data-go'), true); return; }
    if (t.hasAttribute('data-audience')) {
      audience = t.getAttribute('data-audience');
      $all('[data-audience]').forEach(function (b) { b.setAttribute('aria-selected', String(b === t)); });
      return;
    }
    var action = t.getAttribute('data-action');
    if (action === 'login') login();
    else if (action === 'retry') (retry || function () { show('home', true); })();
  });
  $('#method-usb').addEventListener('click', function () {
    $('#screen-register-usb .audience-label').textContent = 'Đối tượng: ' + AUDIENCES[audience];
    show('register-usb', true);
  });
  $('#btn-register-usb').addEventListener('click', register);
  $('#register-form').addEventListener('submit', submitRegistration);
  $('#submit-form').addEventListener('submit', submitDossier);
  $('#btn-logout').addEventListener('click', logout);
  $('#nav-logout').addEventListener('click', logout);
  window.addEventListener('popstate', function () { show(screenForPath(location.pathname)); });

  api('/api/me').then(function (r) {
    if (r.account) showAccount(r.account);
    else show(screenForPath(location.pathname));
  }, function () { show(screenForPath(location.pathname)); });
})();
