// nianbao: the compare page's 只看有差异的行 switch acts at once (the form sends it too). Works without it.
"use strict";

document.addEventListener("change", (e) => {
  if (e.target.id !== "only-diff") return;
  const box = document.getElementById("compare-result");
  if (box) box.classList.toggle("only-diff", e.target.checked);
});
