# The course's kernel settings, copied into <environment>/etc/ipython/ by
# `stalin-course kernel-setup` (run by ./run.sh setup and binder/postBuild) and by a
# wheel install (pyproject.toml, [tool.setuptools.data-files]). Every kernel in the
# environment then loads the course's IPython extension, so a student's answer cell works
# and a check cell finds `answers` even when the notebook's set-up cell has not been run.
c = get_config()  # noqa: F821
c.InteractiveShellApp.extensions.append("stalin_course.answers")
