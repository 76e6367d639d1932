#!/usr/bin/env bash
# LibreOffice Calc (headless) and poppler's pdftoppm from Debian's packages, for the test that
# proves the compliance report's workbook opens (ReportRenderingIntegrationTests) and for the
# picture of its summary sheet in docs/reports.md.
#
#   ops/dev/libreoffice.sh install     install libreoffice-calc (no recommends) and poppler-utils if missing
#   ops/dev/libreoffice.sh render X    convert workbook X to PDF and its first page to PNG, beside it
set -euo pipefail

log() { echo "libreoffice: $*" >&2; }

install() {
	if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		log "not root: install libreoffice-calc and poppler-utils with your package manager"
		exit 1
	fi
	log "installing libreoffice-calc and poppler-utils from Debian's packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends libreoffice-calc libreoffice-core poppler-utils >/dev/null
}

render() {
	local workbook="$1"
	local dir
	dir="$(cd "$(dirname "$workbook")" && pwd)"
	# A profile of its own: a second LibreOffice (or a user's) never blocks this one.
	soffice -env:UserInstallation="file:///tmp/chatvault-lo-profile-$$" --headless --norestore \
		--convert-to pdf --outdir "$dir" "$workbook"
	local pdf="$dir/$(basename "${workbook%.*}").pdf"
	pdftoppm -png -r 110 -f 1 -l 1 -singlefile "$pdf" "${pdf%.pdf}"
	log "rendered $pdf and ${pdf%.pdf}.png"
}

case "${1:-}" in
	install) install ;;
	render) install; render "$2" ;;
	*) echo "usage: $0 install | render <workbook.xlsx>" >&2; exit 2 ;;
esac
