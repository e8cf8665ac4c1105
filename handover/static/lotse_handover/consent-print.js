// The consent form's "Print" button (a static file: the Content-Security-Policy allows no inline script).
document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) {
        window.print();
    }
});
