#!/usr/bin/env bash
# Make sure R (with pROC, rms, psych, glmnet, MASS, car) and pandoc are installed.
# As root on Debian/Ubuntu: installs the Debian packages. Elsewhere: says exactly what
# to install and exits 1 (R is required: the parity suite is the point of cetrus).
set -euo pipefail

R_DEBS="r-base-core r-cran-proc r-cran-rms r-cran-psych r-cran-glmnet r-cran-mass r-cran-car r-cran-lme4"
OTHER_DEBS="pandoc"
R_CHECK='ok <- all(vapply(c("pROC","rms","psych","glmnet","MASS","car","lme4"), requireNamespace, logical(1), quietly=TRUE)); quit(status = if (ok) 0 else 1)'

have_r() { command -v Rscript >/dev/null 2>&1 && Rscript -e "$R_CHECK" >/dev/null 2>&1; }
have_pandoc() { command -v pandoc >/dev/null 2>&1; }

if have_r && have_pandoc; then
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "cetrus setup: installing R, R packages and pandoc from Debian ($R_DEBS $OTHER_DEBS)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $R_DEBS $OTHER_DEBS >/dev/null
  have_r || { echo "cetrus setup: R packages still missing after apt-get" >&2; exit 1; }
  exit 0
fi

{
  echo "cetrus setup: R 4.x with pROC, rms, psych, glmnet, MASS and car, and pandoc, are required."
  echo "  Debian/Ubuntu (as root): apt-get install $R_DEBS $OTHER_DEBS"
  echo "  elsewhere, in R:         install.packages(c(\"pROC\", \"rms\", \"psych\", \"glmnet\", \"car\"))"
  echo "  and pandoc from https://pandoc.org/installing.html"
} >&2
exit 1
