#!/usr/bin/env bash
# A real-world corpus nobody here wrote: the PDFs, office files and images that Debian's
# documentation packages ship, fetched with apt-get into a cache (never into the repository),
# decompressed where Debian gzipped them, one folder per package:
#
#   datasets/corpus/fetch-debian-docs.sh [CACHE_DIR]      # default ~/.cache/mmflow/corpus
#   bin/mmflow eval corpus ~/.cache/mmflow/corpus/files
#
# Each file keeps the licence of its package (CACHE_DIR/tree/<package>/usr/share/doc/*/copyright).
# Needs apt-get (Debian, Ubuntu) and the network to the Debian archive; no root (apt-get download).
set -euo pipefail

CACHE="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/mmflow/corpus}"
# manuals and references as PDF, with the images some of them carry; then office files
PACKAGES=(
  r-doc-pdf            # R's manuals (PDF)
  gnuplot-doc          # gnuplot's manual and figures
  asymptote-doc        # Asymptote's manual (PDF) and examples
  octave-doc           # GNU Octave's manual (PDF)
  maxima-doc           # Maxima's manual and figures
  debian-reference-en  # the Debian Reference (PDF, HTML with images)
  python-reportlab-doc # ReportLab's user guide (PDF)
  imagemagick-6-doc    # ImageMagick's documentation images
  lmodern              # Latin Modern fonts' documentation (PDF)
  # office files: OpenDocument, OOXML, legacy Office and RTF, as their packages ship them
  live-manual-odf      # the Debian Live manual in 10 languages (ODT)
  python3-relatorio    # report templates (ODT, ODS, ODP)
  writer2latex         # sample articles (ODT)
  xlsx2csv             # its test workbooks (XLSX)
  libspreadsheet-parseexcel-perl  # sample workbooks, Excel 95 and 97 (XLS)
  libspreadsheet-writeexcel-perl  # chart workbooks (XLS)
  libdbd-excel-perl    # example workbooks (XLS)
  r-cran-officer       # its test documents and decks (DOCX, PPTX)
  lib3mf-doc           # the 3MF library's specification (DOCX)
  fonts-sil-mingzat    # a type sample (DOCX)
  fonts-sil-abyssinica # a type sample (DOC)
  fonts-sil-taiheritagepro  # font documentation (ODT, XLSX)
  geotranz-doc         # GEOTRANS test procedures (DOC)
  muttprint-manual     # Muttprint's manual in five languages (RTF)
)
EXTENSIONS='pdf|odt|ods|odp|doc|docx|xls|xlsx|ppt|pptx|rtf|png|jpg|jpeg|gif|tif|tiff|webp|jp2|bmp'

command -v apt-get >/dev/null || { echo "fetch-debian-docs: needs apt-get (Debian or Ubuntu)" >&2; exit 1; }
mkdir -p "$CACHE/debs" "$CACHE/tree" "$CACHE/files"
cd "$CACHE/debs"
for pkg in "${PACKAGES[@]}"; do
  if ! ls "${pkg}"_*.deb >/dev/null 2>&1; then
    apt-get download "$pkg" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 || true; apt-get download "$pkg" >/dev/null; }
  fi
done
for deb in "$CACHE"/debs/*.deb; do
  pkg="$(basename "$deb" | cut -d_ -f1)"
  [ -d "$CACHE/tree/$pkg" ] || dpkg-deb -x "$deb" "$CACHE/tree/$pkg"
  out="$CACHE/files/$pkg"
  mkdir -p "$out"
  # the documents themselves, gzipped or not (Debian compresses large docs), flattened by path
  { find "$CACHE/tree/$pkg" -type f | grep -Ei "\.($EXTENSIONS)(\.gz)?$" || true; } | while read -r f; do
    name="$(realpath --relative-to="$CACHE/tree/$pkg" "$f" | tr '/' '_')"
    case "$f" in
      *.gz) [ -f "$out/${name%.gz}" ] || gzip -dc "$f" > "$out/${name%.gz}" ;;
      *) [ -f "$out/$name" ] || cp "$f" "$out/$name" ;;
    esac
  done
done
echo "fetch-debian-docs: $(find "$CACHE/files" -type f | wc -l) files from ${#PACKAGES[@]} packages in $CACHE/files"
find "$CACHE/files" -type f | sed -E 's/.*\.([^.]+)$/\1/' | tr 'A-Z' 'a-z' | sort | uniq -c | sort -rn
