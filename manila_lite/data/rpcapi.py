"""Client side of the data service's RPC API.

History:
    1.0 - initial version (copy jobs arrive with the data service issue)
"""

from manila_lite.common import rpc


class DataAPI:
    RPC_API_VERSION = '1.0'

    def __init__(self, conf):
        self.client = rpc.get_client(conf, conf.data_topic,
                                     self.RPC_API_VERSION)
