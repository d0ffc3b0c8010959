"""Availability zone representations."""

from manila_lite.api import views


def index(zones):
    return {'availability_zones': [
        {'id': z['id'], 'name': z['name'],
         'created_at': views.isotime(z['created_at']),
         'updated_at': views.isotime(z['updated_at'])}
        for z in zones]}
