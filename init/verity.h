/* verity.h — a dm-verity root from roothash= and the data and hash devices, set up by the init itself
 * through the device-mapper ioctls (dm.c): no veritysetup at boot. */
#ifndef EARLYROOT_VERITY_H
#define EARLYROOT_VERITY_H
#include "blockprobe.h"
#include <stddef.h>
#include <stdint.h>

/* The superblock `veritysetup format` writes at the start of the hash device (512 bytes, little
 * endian; see verity.c). Only used to fill the table: trust comes from the root hash alone. */
struct verity_sb {
	unsigned version, hash_type;
	char algorithm[32];
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks;
	uint8_t salt[256];
	unsigned salt_size;
	char uuid[37];
};

/* Read the superblock at OFF of what RD reads (SIZE bytes). 1 parsed and sane (block sizes powers of
 * two 512..65536, salt_size <= 256, a known algorithm name, data_blocks > 0), 0 no superblock there,
 * -1 read error or a superblock with impossible values (ERR says which). */
int verity_sb_read(probe_read_fn rd, void *ctx, uint64_t size, uint64_t off, struct verity_sb *sb, char *err,
		   size_t errsize);

/* The table line for the kernel's verity target: "1 DATA HASH dbs hbs blocks hash_start alg ROOTHASH
 * SALT [opts]". ROOTHASH must be hex of the algorithm's digest size (ERR: "roothash= has N hex
 * digits; sha256 needs 64"). OPTIONS: systemd.verity_root_options= (NULL: none), of which the table
 * options (ignore-corruption, restart-on-corruption, panic-on-corruption, ignore-zero-blocks,
 * check-at-most-once) are passed on and the layout ones (superblock=no, data-blocks=, hash-offset=,
 * salt=, hash=, data-block-size=, hash-block-size=, format=) are honoured when there is no superblock;
 * an unknown option is ERR. Returns 0 or -1. *SECTORS gets the data size in 512-byte sectors. */
int verity_table(const struct verity_sb *sb, const char *data_dev, const char *hash_dev, const char *roothash,
		 const char *options, char *out, size_t size, uint64_t *sectors, char *err, size_t errsize);

#endif
