import { redirect } from 'next/navigation';
import { TaskBoard } from '@/components/task-board';
import { currentUser } from '@/lib/session';

export default async function TasksPage() {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  // Read at request time, so one build serves any environment. The browser calls this URL.
  const apiUrl = process.env.TASK_API_URL ?? 'http://localhost:8000';
  return <TaskBoard apiUrl={apiUrl} email={user.email} />;
}
