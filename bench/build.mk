# bench/: make bench — earlyroot against the floor (boot, image size, build time, memory, hand-over).
# Reports, never fails the build over a number. BENCH_RUNS=5 BENCH_PAD_RUNS=3 BENCH_PADS="10 100 400"
# BENCH_CLOUD=1 BENCH_JOBS=1; see bench/README.md.
bench: all
	@bench/run
