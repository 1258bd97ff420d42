/**
 * The console's one script (served as a file: the CSP allows no inline script). It only enhances:
 * live counts and regions over server-sent events, and the settings' addresses checked as you type.
 * It never builds markup from data: counts go in as text, regions come from the server's own pages.
 */
export const consoleJs = `'use strict';
(function () {
  var body = document.body;
  var refreshing = null;
  var again = false;
  // One refresh at a time: events that arrive meanwhile make one more, not one each.
  function refreshRegions() {
    if (refreshing !== null) { again = true; return refreshing; }
    refreshing = fetchRegions().then(function () {
      refreshing = null;
      if (again) { again = false; return refreshRegions(); }
    }, function () { refreshing = null; });
    return refreshing;
  }
  function fetchRegions() {
    return fetch(location.href, { headers: { 'X-Seatflow-Live': '1' }, credentials: 'same-origin' })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (text) {
        if (text === null) return;
        var fresh = new DOMParser().parseFromString(text, 'text/html');
        document.querySelectorAll('[data-live-region]').forEach(function (region) {
          var replacement = fresh.getElementById(region.id);
          if (replacement) region.replaceWith(document.importNode(replacement, true));
        });
      });
  }
  function onEvent(message) {
    var update;
    try { update = JSON.parse(message.data); } catch (e) { return; }
    Object.keys(update.counts || {}).forEach(function (status) {
      document.querySelectorAll('[data-count]').forEach(function (cell) {
        if (cell.getAttribute('data-count') === status) cell.textContent = String(update.counts[status]);
      });
    });
    refreshRegions().then(function () { body.setAttribute('data-live-position', String(update.position)); });
  }
  if (body.hasAttribute('data-live') && typeof EventSource === 'function') {
    var source = new EventSource('/console/events');
    source.addEventListener('update', onEvent);
    source.addEventListener('open', function () { body.setAttribute('data-live-connected', 'yes'); });
  }
  var addresses = document.getElementById('addresses');
  var report = document.getElementById('addresses-check');
  if (addresses && report) {
    var check = function () {
      var bad = addresses.value.split(/[\\s,;]+/).filter(function (a) { return a !== '' && !/^[^\\s@<>()",;:]+@[^\\s@<>()",;:]+\\.[^\\s@<>()",;:]+$/.test(a); });
      addresses.setAttribute('aria-invalid', bad.length > 0 ? 'true' : 'false');
      report.textContent = bad.length > 0 ? 'Not an email address: ' + bad.join(', ') : '';
    };
    addresses.addEventListener('input', check);
  }
})();
`
