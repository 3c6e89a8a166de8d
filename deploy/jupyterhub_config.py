"""JupyterHub for one class of the course, on one server (read by ``jupyterhub -f``).

Everything particular to a school is in ``school.json``, written by
``deploy/setup_school.py`` (``STALIN_SCHOOL_SETTINGS`` names it; the default is
``/srv/stalin-course/school.json``). Users log in with their own Unix accounts (PAM);
each gets their own JupyterLab, run as their own user:

- a teacher's opens in the course folder, with nbgrader's formgrader;
- a student's opens in their home folder, with the course id and the exchange in its
  nbgrader settings, the Assignments tab to fetch, submit and fetch feedback, no
  formgrader or create-assignment tools, and ``STALIN_COURSE_CLASS=1`` so that held-back
  questions wait for the teacher.
"""

import grp
import json
import os
import pwd
from pathlib import Path

settings = json.loads(
    Path(os.environ.get("STALIN_SCHOOL_SETTINGS", "/srv/stalin-course/school.json")).read_text()
)
venv = Path(settings["venv"])
state = Path(settings["state_dir"])
teachers = set(settings["teachers"])
students = set(settings.get("students", []))
if settings.get("students_group"):
    students |= set(grp.getgrnam(settings["students_group"]).gr_mem)

c = get_config()  # noqa: F821 (provided by JupyterHub)

c.JupyterHub.bind_url = settings["bind_url"]
# The hub and the proxy's API listen on loopback only.
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.get('hub_port', 8081)}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.get('proxy_api_port', 8001)}"
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True

# Unix accounts (PAM): only the class and its teachers may log in.
c.Authenticator.allowed_users = teachers | students
c.Authenticator.admin_users = set()
c.PAMAuthenticator.open_sessions = False

c.Spawner.cmd = [str(venv / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120


def _role(spawner) -> None:
    """Each user's environment: the course's programs, and their role's settings."""
    name = spawner.user.name
    home = pwd.getpwnam(name).pw_dir
    environment = {
        "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "JUPYTER_CONFIG_PATH": str(Path(settings["jupyter_dir"]) / "student"),
        "STALIN_COURSE_CLASS": "1",
    }
    spawner.notebook_dir = home
    if name in teachers:
        environment["JUPYTER_CONFIG_PATH"] = str(Path(settings["jupyter_dir"]) / "teacher")
        environment.pop("STALIN_COURSE_CLASS")
        # the full answer key, in the teacher's folder (students' Python has the class key)
        environment["STALIN_COURSE_KEY"] = str(
            Path(settings["course_dir"]) / "src" / "stalin_course" / "bank" / "key.dat"
        )
        spawner.notebook_dir = settings["course_dir"]
    spawner.environment.update(environment)


c.Spawner.pre_spawn_hook = _role
