/* OneBudget host script: lets each OneBudget frame on this page set its own height.
   Include once per page, after or before the frames. No dependencies, no eval.
   It accepts a message only if it (1) comes from the frame's own window, (2) comes
   from the origin of the frame's src, and (3) has the documented shape:
   {type: "onebudget:resize", version: 1, id: <the frame's data-onebudget or null>, height: <px>}.
   See docs/EMBED.md. */
(function () {
  'use strict';
  var MIN_HEIGHT = 150;
  var MAX_HEIGHT = 20000;

  function originOf(frame) {
    try {
      return new URL(frame.getAttribute('src'), document.baseURI).origin;
    } catch (e) {
      return null;
    }
  }

  function prepare(frame) {
    // Set through the CSSOM, so a host page's own CSP need not allow style attributes.
    frame.style.border = '0';
    frame.style.width = '100%';
    frame.style.display = 'block';
  }

  function frames() {
    return document.querySelectorAll('iframe[data-onebudget]');
  }

  function onMessage(event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'onebudget:resize' || data.version !== 1) return;
    if (typeof data.height !== 'number' || !isFinite(data.height)) return;
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var frame = list[i];
      if (event.source !== frame.contentWindow) continue;
      if (event.origin !== originOf(frame)) return;
      var id = frame.getAttribute('data-onebudget') || null;
      if ((data.id || null) !== id) return;
      var height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(data.height)));
      frame.style.height = height + 'px';
      frame.setAttribute('height', String(height));
      return;
    }
  }

  function prepareAll() {
    var list = frames();
    for (var i = 0; i < list.length; i++) prepare(list[i]);
  }

  window.addEventListener('message', onMessage);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', prepareAll);
  } else {
    prepareAll();
  }
})();
