"""Change an update's request in the world's Bodhi as its packager: bodhi_request.py ALIAS REQUEST USER."""

import os
import sys
import tempfile

from bodhi.client.bindings import BodhiClient

alias, request, user = sys.argv[1:4]
url = os.environ["AUTOQA_BODHI_URL"]
client = BodhiClient(
    base_url=url,
    id_provider=url + f"openidc/as/{user}",
    oidc_storage_path=os.path.join(tempfile.mkdtemp(), "token.json"),
)
client.request(alias, request)
print(f"{alias}: request {request} by {user}")
