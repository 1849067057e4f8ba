// Small browser helpers the Blazor components call through JS interop.
window.multiOrg = {
    // Saves text the server produced (CSV exports) as a file, without a second request.
    download(fileName, contentType, text) {
        const url = URL.createObjectURL(new Blob([text], { type: contentType }));
        const link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        URL.revokeObjectURL(url);
    },
};
