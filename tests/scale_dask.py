"""tests/scale_dask.py IN.jsonl OUT.jsonl RULES - runs the Python binding
over IN in partitions on a Dask distributed LocalCluster of 2 worker
processes (loopback only) and writes the records in input order. Prints
the number of partitions and the workers that processed them."""
import os
import sys

import dask.bag
import distributed

import nerq.scale


def where(lines):
    return [os.getpid()]


def main(src, dst, rules):
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        size = os.path.getsize(src)
        lines = dask.bag.read_text(src, blocksize=max(size // 6, 4096))
        records = lines.map_partitions(nerq.scale.extract_lines, rules=rules)
        nerq.scale.write_ordered(records, dst)
        workers = len(client.scheduler_info()["workers"])
        pids = set(lines.map_partitions(where).compute())
        print("partitions %d workers %d busy %d" % (lines.npartitions, workers, len(pids)))
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
