# mklive/: earlyroot-mklive, a POSIX sh script (nothing to build): a root directory to a live ISO.
SUITES += mklive=mklive/tests/run.sh

.PHONY: install-mklive
install: install-mklive
install-mklive:
	install -D -m 0755 mklive/earlyroot-mklive $(DESTDIR)$(PREFIX)/bin/earlyroot-mklive
	install -D -m 0644 mklive/earlyroot-mklive.1 $(DESTDIR)$(PREFIX)/share/man/man1/earlyroot-mklive.1
