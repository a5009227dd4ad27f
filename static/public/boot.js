// A script or stylesheet of the shell that cannot load (offline before the first visit
// cached it): say so in both languages instead of leaving the page empty. A classic script
// of its own, not inline, so the Content-Security-Policy can forbid inline scripts.
window.addEventListener('error', function (event) {
  var el = event.target;
  var app = document.getElementById('app');
  if (!el || !el.tagName || !/^(SCRIPT|LINK)$/.test(el.tagName) || !app || app.dataset.ready) return;
  document.getElementById('boot-loading').hidden = true;
  document.getElementById('boot-failed').hidden = false;
}, true);
document.addEventListener('click', function (event) {
  if (event.target && event.target.id === 'boot-retry') location.reload();
});
