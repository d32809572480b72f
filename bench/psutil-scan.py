#!/usr/bin/env python3
"""The same scan with psutil: every process with the fields a leak hunt needs, as JSON."""
import json
import sys

import psutil

ATTRS = ['pid', 'ppid', 'name', 'cmdline', 'create_time', 'cpu_times', 'memory_info', 'terminal', 'num_fds']


def record(proc):
    info = proc.info
    for key in ('cpu_times', 'memory_info'):
        if info.get(key) is not None:
            info[key] = info[key]._asdict()
    return info


sys.stdout.write(json.dumps([record(p) for p in psutil.process_iter(ATTRS, ad_value=None)]) + '\n')
