from oslo_config import cfg
import pytest

from manila_lite.common import config
from tests.functional.infra import real_db_url  # noqa: F401


@pytest.fixture
def conf(tmp_path):
    conf = cfg.ConfigOpts()
    config.register_opts(conf)
    conf([], project='manila-lite', default_config_files=[])
    conf.set_override('state_path', str(tmp_path / 'state'))
    return conf

