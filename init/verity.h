/* verity.h — a dm-verity root from roothash= and the data and hash devices, set up by the init itself
 * through the device-mapper ioctls (dm.c): no veritysetup at boot. This part is pure: the on-disk
 * superblock, systemd.verity_root_options=, and the kernel's table line from them. */
#ifndef EARLYROOT_VERITY_H
#define EARLYROOT_VERITY_H
#include "blockprobe.h"
#include <stddef.h>
#include <stdint.h>

/* The superblock `veritysetup format` writes at the start of the hash area (512 bytes, little
 * endian; see verity.c), or the same values from the options (superblock=no). Only used to fill the
 * table: trust comes from the root hash alone. */
struct verity_sb {
	unsigned version, hash_type; /* hash_type: 1 normal, 0 Chrome OS's (the table's version) */
	char algorithm[32];
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks;
	uint8_t salt[256];
	unsigned salt_size;
	char uuid[37];
};

#define VERITY_SB_SIZE 512

/* systemd.verity_root_options=, comma-separated (systemd-veritysetup-generator's names). */
struct verity_opts {
	int superblock;                            /* superblock=no: 0 (default 1) */
	int format;                                /* format=0|1, -1 not given (1) */
	uint32_t data_block_size, hash_block_size; /* 0: not given (4096) */
	uint64_t data_blocks;                      /* 0: not given (the data device's size) */
	uint64_t hash_offset;                      /* hash-offset= in bytes: where the superblock (or, without
						    * one, the tree) starts on the hash device */
	int have_salt;                             /* salt=HEX given ("-": empty) */
	uint8_t salt[256];
	unsigned salt_size;
	char hash[32];                             /* hash=, "" not given (sha256) */
	char kernel_opts[160];                     /* the table's optional words, "" or "ignore_corruption ..." */
	unsigned nkernel_opts;
};

/* Parse OPTIONS (NULL or "": all defaults) into O. 0, or -1 with ERR naming the option: an unknown
 * one, a bad value, two corruption policies, and those earlyroot does not do (fec-*,
 * root-hash-signature=). With a superblock, the layout options but hash-offset= are ignored, as
 * veritysetup does. */
int verity_options_parse(const char *options, struct verity_opts *o, char *err, size_t errsize);

/* Read the superblock at OFF of what RD reads (SIZE bytes). 1 parsed and sane (block sizes powers of
 * two 512..65536, salt_size <= 256, a known algorithm name, data_blocks > 0), 0 no superblock there,
 * -1 read error or a superblock with impossible values (ERR says which). */
int verity_sb_read(probe_read_fn rd, void *ctx, uint64_t size, uint64_t off, struct verity_sb *sb, char *err,
		   size_t errsize);

/* superblock=no: the layout from O alone; DATA_SIZE is the data device's size in bytes, for when
 * data-blocks= is not given. 0, or -1 with ERR. */
int verity_sb_from_options(const struct verity_opts *o, uint64_t data_size, struct verity_sb *sb, char *err,
			   size_t errsize);

/* The digest size in bytes of a hash algorithm name ("sha256": 32), 0 if unknown. */
unsigned verity_digest_size(const char *algorithm);

/* The table line for the kernel's verity target: "1 DATA HASH dbs hbs blocks hash_start alg ROOTHASH
 * SALT [n opts]". ROOTHASH must be hex of the algorithm's digest size (ERR: "roothash= has N hex
 * digits; sha256 needs 64"). Returns 0 or -1. *SECTORS gets the data size in 512-byte sectors. */
int verity_table(const struct verity_sb *sb, const struct verity_opts *o, const char *data_dev, const char *hash_dev,
		 const char *roothash, char *out, size_t size, uint64_t *sectors, char *err, size_t errsize);

#endif
