// A campaign's page: while its cards are being generated, ask the server how far it is and move the progress bar
// (no reload). The sentences come translated in the section's data attributes.
(function () {
  "use strict";
  var box = document.getElementById("generation");
  if (!box) { return; }
  var bar = document.getElementById("gen-progress"), text = document.getElementById("gen-text"),
      cards = document.getElementById("fig-cards");
  if (text.dataset.status !== "IN_PROGRESS") { return; }
  function fmt(n) { return n.toLocaleString(box.dataset.lang); }
  function poll() {
    fetch(box.dataset.progressUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (p) {
        bar.max = p.requested || 1;
        bar.value = p.made;
        cards.textContent = fmt(p.cards);
        text.dataset.status = p.status;
        if (p.status === "IN_PROGRESS") {
          text.textContent = box.dataset.madeText.replace("{made}", fmt(p.made)).replace("{requested}", fmt(p.requested));
          setTimeout(poll, 700);
        } else if (p.status === "DONE") {
          text.textContent = box.dataset.doneText.replace("{count}", fmt(p.cards));
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
}());
