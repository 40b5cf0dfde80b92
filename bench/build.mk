# bench/: make bench (see bench/README.md once written).
