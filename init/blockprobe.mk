# init/blockprobe.mk: the block-device probes (filesystem superblocks, partition tables) and their tests.
